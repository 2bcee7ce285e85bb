//! Precision and recall of a matcher's decisions against the labels.
//!
//! A matcher's answer to a query is its best candidate (an account) and the scores of
//! the best and the runner-up; the domain's `decide` turns them into a class. At the
//! automatic threshold a query counts as *matched* when the class is `Same`; at the review
//! threshold when it is `Same` or `Review`. A match is correct when the query is a true
//! duplicate and the best candidate is its account. Precision = correct ÷ matched; recall
//! = correct ÷ true duplicates. Ratios are printed from integers (per hundred thousand).

use std::collections::BTreeMap;

use tributary_domain::matching::{MatchClass, MatchThresholds, decide};

use super::generate::{Kind, LabelledQuery, VARIATIONS};

/// What a matcher answered for one query.
#[derive(Debug, Clone, Copy, Default)]
pub struct Answer {
    pub best: Option<u32>,
    pub best_score: u16,
    /// The second-best account's score (0 when there is none).
    pub runner_up: u16,
    /// Whether the true account was among the candidates at all.
    pub truth_found: bool,
}

impl Answer {
    pub fn class(&self, thresholds: MatchThresholds) -> MatchClass {
        match self.best {
            None => MatchClass::Different,
            Some(_) => decide(&[self.best_score, self.runner_up], thresholds),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub positives: u64,
    pub matched: u64,
    pub correct: u64,
}

impl Counts {
    pub fn precision(&self) -> String {
        ratio(self.correct, self.matched)
    }

    pub fn recall(&self) -> String {
        ratio(self.correct, self.positives)
    }

    pub fn precision_at_least(&self, per_mille: u64) -> bool {
        self.matched == 0 || self.correct * 1000 >= self.matched * per_mille
    }

    pub fn recall_at_least(&self, per_mille: u64) -> bool {
        self.correct * 1000 >= self.positives * per_mille
    }
}

/// "0.98765" from integers.
pub fn ratio(numerator: u64, denominator: u64) -> String {
    if denominator == 0 {
        return "–".into();
    }
    let scaled = numerator * 100_000 / denominator;
    format!("{}.{:05}", scaled / 100_000, scaled % 100_000)
}

/// Counts at the automatic threshold (`review_too` false) or at the review threshold.
pub fn counts(queries: &[LabelledQuery], answers: &[Answer], thresholds: MatchThresholds, review_too: bool) -> Counts {
    let mut counts = Counts::default();
    for (query, answer) in queries.iter().zip(answers) {
        counts.positives += u64::from(query.truth.is_some());
        let class = answer.class(thresholds);
        let matched = class == MatchClass::Same || (review_too && class == MatchClass::Review);
        if matched {
            counts.matched += 1;
            if query.truth.is_some() && query.truth == answer.best {
                counts.correct += 1;
            }
        }
    }
    counts
}

/// Per kind of query: how many, and how they were classed (Same with the right account,
/// Same with a wrong one, Review, Different).
pub fn by_kind(queries: &[LabelledQuery], answers: &[Answer], thresholds: MatchThresholds) -> BTreeMap<Kind, [u64; 5]> {
    let mut table: BTreeMap<Kind, [u64; 5]> = BTreeMap::new();
    for (query, answer) in queries.iter().zip(answers) {
        let row = table.entry(query.kind).or_default();
        row[0] += 1;
        match answer.class(thresholds) {
            MatchClass::Same if query.truth.is_some() && query.truth == answer.best => row[1] += 1,
            MatchClass::Same => row[2] += 1,
            MatchClass::Review => row[3] += 1,
            MatchClass::Different => row[4] += 1,
        }
    }
    table
}

/// Per variation of the true duplicates: how many carry it and how many of those were
/// matched to their account automatically.
pub fn by_variation(queries: &[LabelledQuery], answers: &[Answer], thresholds: MatchThresholds) -> Vec<(u64, u64)> {
    let mut rows = vec![(0u64, 0u64); VARIATIONS.len()];
    for (query, answer) in queries.iter().zip(answers) {
        if query.truth.is_none() {
            continue;
        }
        let correct = answer.class(thresholds) == MatchClass::Same && query.truth == answer.best;
        for (bit, row) in rows.iter_mut().enumerate() {
            if query.variations & (1 << bit) != 0 {
                row.0 += 1;
                row.1 += u64::from(correct);
            }
        }
    }
    rows
}

/// Precision and recall at automatic thresholds from `from` to `to` in `step`s, the review
/// threshold fixed.
pub fn sweep(
    queries: &[LabelledQuery],
    answers: &[Answer],
    review: u16,
    from: u16,
    to: u16,
    step: u16,
) -> Vec<(u16, Counts)> {
    (from..=to)
        .step_by(usize::from(step))
        .map(|auto| {
            let thresholds = MatchThresholds {
                auto,
                review: review.min(auto),
            };
            (auto, counts(queries, answers, thresholds, false))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tributary_domain::matching::CustomerQuery;

    fn labelled(truth: Option<u32>) -> LabelledQuery {
        LabelledQuery {
            query: CustomerQuery::default(),
            truth,
            kind: if truth.is_some() {
                Kind::Duplicate
            } else {
                Kind::NewCompany
            },
            variations: 1,
        }
    }

    #[test]
    fn precision_and_recall() {
        let queries = vec![labelled(Some(1)), labelled(Some(2)), labelled(Some(3)), labelled(None)];
        let answer = |best: u32, best_score: u16, runner_up: u16| Answer {
            best: Some(best),
            best_score,
            runner_up,
            truth_found: true,
        };
        let answers = vec![
            answer(1, 900, 100), // correct
            answer(7, 900, 100), // wrong account
            answer(3, 600, 100), // review
            answer(4, 850, 820), // two fit: review
        ];
        let t = MatchThresholds { auto: 800, review: 500 };
        let auto = counts(&queries, &answers, t, false);
        assert_eq!(
            auto,
            Counts {
                positives: 3,
                matched: 2,
                correct: 1
            }
        );
        assert_eq!(auto.precision(), "0.50000");
        assert_eq!(auto.recall(), "0.33333");
        let review = counts(&queries, &answers, t, true);
        assert_eq!((review.matched, review.correct), (4, 2));
        assert_eq!(ratio(2, 3), "0.66666");
        assert_eq!(by_kind(&queries, &answers, t)[&Kind::Duplicate], [3, 1, 1, 1, 0]);
        assert_eq!(by_variation(&queries, &answers, t)[0], (3, 1));
    }
}
