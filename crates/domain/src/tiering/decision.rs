//! From qualifying level to assigned level. With previous assigned level p and qualifying
//! level q at evaluation date E:
//! - an active override (start ≤ E < expiry) wins and resets the miss count;
//! - no previous level: q;
//! - q > p: promoted to q at once; q == p: stays, misses reset;
//! - q < p: one more miss; when misses exceed the grace, demoted to max(q, p − max step)
//!   and misses reset, otherwise stays (at risk).
//!
//! An expired override is no longer consulted: its level, stored as the previous
//! evaluation's assignment, is simply the next evaluation's p.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The structure's demotion rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EvaluationRules {
    /// Evaluations below the assigned level tolerated before a demotion.
    pub grace: u32,
    /// Levels a single demotion may drop (at least 1).
    pub max_demotion_step: u32,
}

/// A manual assignment with its reason, active from `starts` (inclusive) to `expires` (exclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Override {
    pub level: u32,
    pub reason: String,
    pub starts: NaiveDate,
    pub expires: NaiveDate,
}

impl Override {
    pub fn is_active(&self, date: NaiveDate) -> bool {
        self.starts <= date && date < self.expires
    }
}

/// What the previous evaluation left: the assigned level (none for a new partner) and the
/// misses counted since.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PreviousState {
    pub assigned: Option<u32>,
    pub misses: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TierChange {
    /// First evaluation of the partner.
    Initial,
    Promoted,
    Demoted,
    /// Qualifies at its level (or above nothing changed).
    Stayed,
    /// Below its level but still within the grace.
    AtRisk,
    /// A manual override decided the level.
    Overridden,
}

/// The outcome of one evaluation for one partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Decision {
    pub qualifying: u32,
    pub previous: Option<u32>,
    pub assigned: u32,
    pub misses: u32,
    pub change: TierChange,
}

pub fn decide(
    rules: EvaluationRules,
    previous: PreviousState,
    qualifying: u32,
    active_override: Option<&Override>,
    date: NaiveDate,
) -> Decision {
    let decision = |assigned, misses, change| Decision {
        qualifying,
        previous: previous.assigned,
        assigned,
        misses,
        change,
    };
    if let Some(manual) = active_override.filter(|o| o.is_active(date)) {
        return decision(manual.level, 0, TierChange::Overridden);
    }
    let Some(p) = previous.assigned else {
        return decision(qualifying, 0, TierChange::Initial);
    };
    if qualifying > p {
        return decision(qualifying, 0, TierChange::Promoted);
    }
    if qualifying == p {
        return decision(p, 0, TierChange::Stayed);
    }
    let misses = previous.misses + 1;
    if misses > rules.grace {
        let floor = p.saturating_sub(rules.max_demotion_step.max(1));
        decision(qualifying.max(floor), 0, TierChange::Demoted)
    } else {
        decision(p, misses, TierChange::AtRisk)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: EvaluationRules = EvaluationRules {
        grace: 1,
        max_demotion_step: 1,
    };

    fn day(n: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(u64::from(n))
    }

    /// Runs evaluations qualifying `qualifies` from `start`, returning the assigned levels.
    fn run(start: PreviousState, qualifies: &[u32], manual: Option<&Override>) -> Vec<u32> {
        let mut state = start;
        qualifies
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let d = decide(RULES, state, *q, manual, day(i as u32 * 30));
                state = PreviousState {
                    assigned: Some(d.assigned),
                    misses: d.misses,
                };
                d.assigned
            })
            .collect()
    }

    #[test]
    fn the_worked_tier_grace_example() {
        // Grace 1, max step 1, assigned 3; qualifies 1, 1, 1, 3 → stays 3, demoted to 2,
        // stays 2, promoted to 3.
        let start = PreviousState {
            assigned: Some(3),
            misses: 0,
        };
        assert_eq!(run(start, &[1, 1, 1, 3], None), vec![3, 2, 2, 3]);
    }

    #[test]
    fn each_rule() {
        let at = |assigned, misses| PreviousState {
            assigned: Some(assigned),
            misses,
        };
        let first = decide(RULES, PreviousState::default(), 2, None, day(0));
        assert_eq!((first.assigned, first.change), (2, TierChange::Initial));
        let up = decide(RULES, at(0, 1), 3, None, day(0));
        assert_eq!((up.assigned, up.misses, up.change), (3, 0, TierChange::Promoted));
        let same = decide(RULES, at(2, 1), 2, None, day(0));
        assert_eq!((same.assigned, same.misses, same.change), (2, 0, TierChange::Stayed));
        let risk = decide(RULES, at(2, 0), 0, None, day(0));
        assert_eq!((risk.assigned, risk.misses, risk.change), (2, 1, TierChange::AtRisk));
        let wide = EvaluationRules {
            grace: 0,
            max_demotion_step: 3,
        };
        let down = decide(wide, at(3, 0), 1, None, day(0));
        assert_eq!((down.assigned, down.change), (1, TierChange::Demoted), "never below q");
    }

    #[test]
    fn overrides_win_while_active_and_then_become_the_previous_level() {
        let manual = Override {
            level: 3,
            reason: "strategic partner".into(),
            starts: day(0),
            expires: day(60),
        };
        let start = PreviousState {
            assigned: Some(1),
            misses: 1,
        };
        // Active at days 0 and 30; expired at day 60 and 90: p = 3, q = 1 → a miss, then demotion by one.
        assert_eq!(run(start, &[1, 1, 1, 1], Some(&manual)), vec![3, 3, 3, 2]);
    }
}
