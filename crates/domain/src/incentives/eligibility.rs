//! Whether a plan pays a partner, judged on the partner as it stands on the period's last
//! day: its type, the regions of its head-office country, its segments, its level in the
//! plan's tier structure, and whether it has accepted the program agreement.

use std::collections::BTreeSet;

use super::plan::Eligibility;
use crate::partner::PartnerType;

/// What eligibility is judged on, resolved by the caller as of the period's last day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerProfile {
    pub partner_type: PartnerType,
    /// Codes of the regions the partner's head-office country belongs to.
    pub regions: BTreeSet<String>,
    /// Ids of the saved segments the partner belongs to.
    pub segments: BTreeSet<String>,
    pub tier_level: Option<usize>,
    pub agreement_accepted: bool,
}

impl Eligibility {
    /// `Ok` when every criterion holds, else the first one that does not, in words.
    pub fn admits(&self, partner: &PartnerProfile) -> Result<(), String> {
        if !self.partner_types.is_empty() && !self.partner_types.contains(&partner.partner_type) {
            return Err(format!("partner type {} is not eligible", partner.partner_type.label()));
        }
        if !self.regions.is_empty() && !self.regions.iter().any(|r| partner.regions.contains(r)) {
            return Err(format!("only partners in {} are eligible", self.regions.join(", ")));
        }
        if let Some(segment) = &self.segment_id
            && !partner.segments.contains(segment)
        {
            return Err("the partner is not in the plan's segment".into());
        }
        if let Some(minimum) = self.minimum_tier
            && partner.tier_level.is_none_or(|level| level < minimum)
        {
            return Err(format!("needs tier level {minimum} or above"));
        }
        if self.requires_agreement && !partner.agreement_accepted {
            return Err("the program agreement has not been accepted".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gold_reseller() -> PartnerProfile {
        PartnerProfile {
            partner_type: PartnerType::Reseller,
            regions: ["EMEA".to_string()].into(),
            segments: BTreeSet::new(),
            tier_level: Some(2),
            agreement_accepted: true,
        }
    }

    #[test]
    fn every_criterion_must_hold() {
        let open = Eligibility::default();
        assert!(open.admits(&gold_reseller()).is_ok());
        let strict = Eligibility {
            partner_types: vec![PartnerType::Reseller],
            regions: vec!["EMEA".into()],
            minimum_tier: Some(2),
            requires_agreement: true,
            ..Default::default()
        };
        assert!(strict.admits(&gold_reseller()).is_ok());
        let silver = PartnerProfile {
            tier_level: Some(1),
            ..gold_reseller()
        };
        assert_eq!(strict.admits(&silver).unwrap_err(), "needs tier level 2 or above");
        let distributor = PartnerProfile {
            partner_type: PartnerType::Distributor,
            ..gold_reseller()
        };
        assert!(strict.admits(&distributor).is_err());
        let americas = PartnerProfile {
            regions: ["AMER".to_string()].into(),
            ..gold_reseller()
        };
        assert!(strict.admits(&americas).is_err());
        let unsigned = PartnerProfile {
            agreement_accepted: false,
            ..gold_reseller()
        };
        assert!(strict.admits(&unsigned).is_err());
    }
}
