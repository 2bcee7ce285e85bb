//! Partner organisations: the resellers, distributors, MSPs, integrators and referral
//! partners a vendor sells through, with their lifecycle from prospect to terminated.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::money::{Currency, parse_decimal};
use crate::reference::country_name;
use crate::validation::{Errors, FieldError, domain, optional_text, required_text};

crate::code_enum! {
    /// The kind of business a partner runs; distributors can have resellers attached.
    pub enum PartnerType ("partner type") {
        Reseller => ("reseller", "Reseller"),
        Distributor => ("distributor", "Distributor"),
        Msp => ("msp", "Managed service provider"),
        SystemIntegrator => ("system_integrator", "System integrator"),
        Referral => ("referral", "Referral partner"),
    }
}

crate::code_enum! {
    /// Head-count band of a partner organisation.
    pub enum SizeBand ("size band") {
        Micro => ("1-10", "1–10 staff"),
        Small => ("11-50", "11–50 staff"),
        Medium => ("51-200", "51–200 staff"),
        Large => ("201-1000", "201–1,000 staff"),
        Enterprise => ("1000+", "over 1,000 staff"),
    }
}

crate::code_enum! {
    /// Lifecycle: prospect → onboarding → active ⇄ suspended → terminated.
    pub enum PartnerStatus ("partner status") {
        Prospect => ("prospect", "Prospect"),
        Onboarding => ("onboarding", "Onboarding"),
        Active => ("active", "Active"),
        Suspended => ("suspended", "Suspended"),
        Terminated => ("terminated", "Terminated"),
    }
}

impl PartnerStatus {
    /// Whether the lifecycle allows moving from `self` to `next` (staying put is allowed).
    pub fn can_become(self, next: PartnerStatus) -> bool {
        use PartnerStatus::*;
        self == next
            || matches!(
                (self, next),
                (Prospect, Onboarding)
                    | (Onboarding, Active)
                    | (Active, Suspended)
                    | (Suspended, Active)
                    | (Prospect | Onboarding | Active | Suspended, Terminated)
            )
    }
}

/// A partner organisation as submitted by the API, a portal form or a CSV row: text as
/// typed, checked by [`PartnerInput::validate`].
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct PartnerInput {
    pub name: String,
    /// reseller, distributor, msp, system_integrator or referral.
    pub partner_type: String,
    /// For a reseller: the distributor it buys through.
    pub distributor_id: Option<String>,
    /// 1-10, 11-50, 51-200, 201-1000 or 1000+.
    pub size_band: String,
    /// Vertical codes.
    pub verticals: Vec<String>,
    /// ISO 3166 country codes the partner sells into.
    pub countries_served: Vec<String>,
    pub address_line: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    /// ISO 3166 country code of the head office.
    pub country: String,
    pub latitude: Option<String>,
    pub longitude: Option<String>,
    pub website_domain: Option<String>,
    /// ISO 4217 code the partner is paid in.
    pub payout_currency: String,
    /// ISO 3166 country code that decides withholding tax.
    pub tax_country: String,
    /// Lifecycle status; new partners start as `prospect` when omitted.
    pub status: Option<String>,
    /// The vendor user (channel manager) looking after this partner.
    pub channel_manager_id: Option<String>,
    /// On update: the version the change is based on; a stale version is refused.
    pub version: Option<i64>,
}

/// A partner's validated attributes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PartnerFields {
    pub name: String,
    pub partner_type: PartnerType,
    pub distributor_id: Option<String>,
    pub size_band: SizeBand,
    pub verticals: Vec<String>,
    pub countries_served: Vec<String>,
    pub address_line: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    pub country: String,
    #[schema(value_type = Option<String>)]
    pub latitude: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub longitude: Option<Decimal>,
    pub website_domain: Option<String>,
    #[schema(value_type = String)]
    pub payout_currency: Currency,
    pub tax_country: String,
    pub status: PartnerStatus,
    pub channel_manager_id: Option<String>,
}

/// An ISO 3166-1 alpha-2 code, upper-cased.
pub fn country_code(value: &str) -> Result<String, String> {
    let code = value.trim().to_ascii_uppercase();
    if country_name(&code).is_some() {
        Ok(code)
    } else {
        Err(format!("'{}' is not an ISO 3166 country code", value.trim()))
    }
}

fn coordinate(value: Option<&str>, limit: i64) -> Result<Option<Decimal>, String> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => {
            let number = parse_decimal(text)?;
            if number.abs() > Decimal::from(limit) {
                Err(format!("{number} is outside -{limit}..{limit}"))
            } else {
                Ok(Some(number))
            }
        }
    }
}

impl PartnerInput {
    /// Checks every field on its own (references to other records are checked by the
    /// service that has the database) and reports all problems at once.
    pub fn validate(&self) -> Result<PartnerFields, Vec<FieldError>> {
        let mut errors = Errors::new();
        let name = errors.check("name", required_text(&self.name, 200));
        let partner_type = errors.check("partner_type", PartnerType::parse(&self.partner_type));
        let size_band = errors.check("size_band", SizeBand::parse(&self.size_band));
        let country = errors.check("country", country_code(&self.country));
        let tax_country = errors.check("tax_country", country_code(&self.tax_country));
        let payout_currency = errors.check("payout_currency", Currency::parse(&self.payout_currency));
        let status = errors.check(
            "status",
            match self.status.as_deref().map(str::trim) {
                None | Some("") => Ok(PartnerStatus::Prospect),
                Some(code) => PartnerStatus::parse(code),
            },
        );
        let mut countries_served = Vec::new();
        for code in self.countries_served.iter().filter(|c| !c.trim().is_empty()) {
            if let Some(code) = errors.check("countries_served", country_code(code))
                && !countries_served.contains(&code)
            {
                countries_served.push(code);
            }
        }
        let mut verticals: Vec<String> = Vec::new();
        for code in self.verticals.iter().map(|v| v.trim().to_ascii_lowercase()) {
            if !code.is_empty() && !verticals.contains(&code) {
                verticals.push(code);
            }
        }
        let address_line = errors.check("address_line", optional_text(self.address_line.as_deref(), 300));
        let city = errors.check("city", optional_text(self.city.as_deref(), 120));
        let postal_code = errors.check("postal_code", optional_text(self.postal_code.as_deref(), 20));
        let latitude = errors.check("latitude", coordinate(self.latitude.as_deref(), 90));
        let longitude = errors.check("longitude", coordinate(self.longitude.as_deref(), 180));
        if latitude.flatten().is_some() != longitude.flatten().is_some() {
            errors.add("longitude", "latitude and longitude must be given together");
        }
        let website_domain = errors.check(
            "website_domain",
            match self.website_domain.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(text) => domain(text).map(Some),
            },
        );
        let distributor_id = self
            .distributor_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        if distributor_id.is_some() && partner_type != Some(PartnerType::Reseller) {
            errors.add("distributor_id", "only a reseller can be attached to a distributor");
        }
        let channel_manager_id = self
            .channel_manager_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        errors.finish(|| PartnerFields {
            name: name.unwrap(),
            partner_type: partner_type.unwrap(),
            distributor_id,
            size_band: size_band.unwrap(),
            verticals,
            countries_served,
            address_line: address_line.unwrap(),
            city: city.unwrap(),
            postal_code: postal_code.unwrap(),
            country: country.unwrap(),
            latitude: latitude.unwrap(),
            longitude: longitude.unwrap(),
            website_domain: website_domain.unwrap(),
            payout_currency: payout_currency.unwrap(),
            tax_country: tax_country.unwrap(),
            status: status.unwrap(),
            channel_manager_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> PartnerInput {
        PartnerInput {
            name: "Acme Networks".into(),
            partner_type: "reseller".into(),
            size_band: "11-50".into(),
            country: "de".into(),
            tax_country: "DE".into(),
            payout_currency: "eur".into(),
            countries_served: vec!["DE".into(), "AT".into(), "de".into()],
            latitude: Some("52.52".into()),
            longitude: Some("13.405".into()),
            website_domain: Some("https://www.acme.example/".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_partner_is_normalised() {
        let fields = valid().validate().unwrap();
        assert_eq!(fields.country, "DE");
        assert_eq!(fields.countries_served, vec!["DE", "AT"]);
        assert_eq!(fields.website_domain.as_deref(), Some("acme.example"));
        assert_eq!(fields.status, PartnerStatus::Prospect);
        assert_eq!(fields.payout_currency.code(), "EUR");
    }

    #[test]
    fn every_bad_field_is_named() {
        let input = PartnerInput {
            name: " ".into(),
            partner_type: "vendor".into(),
            size_band: "huge".into(),
            country: "Germany".into(),
            tax_country: "ZZ".into(),
            payout_currency: "EURO".into(),
            latitude: Some("91".into()),
            longitude: None,
            ..Default::default()
        };
        let errors = input.validate().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for field in [
            "name",
            "partner_type",
            "size_band",
            "country",
            "tax_country",
            "payout_currency",
            "latitude",
        ] {
            assert!(fields.contains(&field), "{field} missing in {fields:?}");
        }
    }

    #[test]
    fn only_resellers_have_a_distributor() {
        let mut input = valid();
        input.partner_type = "msp".into();
        input.distributor_id = Some("0190d0d0-0000-7000-8000-000000000000".into());
        let errors = input.validate().unwrap_err();
        assert_eq!(errors[0].field, "distributor_id");
    }

    #[test]
    fn lifecycle_transitions() {
        use PartnerStatus::*;
        assert!(Prospect.can_become(Onboarding));
        assert!(Suspended.can_become(Active));
        assert!(!Prospect.can_become(Active));
        assert!(!Terminated.can_become(Active));
        assert!(Active.can_become(Terminated));
    }
}
