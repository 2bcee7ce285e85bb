//! Segments: saved partner filters such as "EMEA MSPs with under 50 staff". A segment is a
//! conjunction of optional criteria; an empty criterion does not restrict.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::partner::{PartnerStatus, PartnerType, SizeBand};
use crate::validation::{Errors, FieldError, optional_text, required_text};

/// Which partners a segment selects. Every non-empty list must contain the partner's value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct SegmentFilter {
    pub partner_types: Vec<PartnerType>,
    pub size_bands: Vec<SizeBand>,
    pub statuses: Vec<PartnerStatus>,
    /// Region codes: the partner's head-office country must be in one of them.
    pub regions: Vec<String>,
    /// ISO country codes of the head office.
    pub countries: Vec<String>,
    /// The partner must have at least one of these verticals.
    pub verticals: Vec<String>,
    /// Case-insensitive part of the partner's name.
    pub name_contains: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct SegmentInput {
    pub name: String,
    pub description: Option<String>,
    pub filter: SegmentFilter,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SegmentFields {
    pub name: String,
    pub description: Option<String>,
    pub filter: SegmentFilter,
}

impl SegmentInput {
    pub fn validate(&self) -> Result<SegmentFields, Vec<FieldError>> {
        let mut errors = Errors::new();
        let name = errors.check("name", required_text(&self.name, 120));
        let description = errors.check("description", optional_text(self.description.as_deref(), 500));
        let mut filter = self.filter.clone();
        let mut countries = Vec::new();
        for code in &filter.countries {
            if let Some(code) = errors.check("filter.countries", crate::partner::country_code(code)) {
                countries.push(code);
            }
        }
        filter.countries = countries;
        filter.regions = filter.regions.iter().map(|r| r.trim().to_ascii_lowercase()).collect();
        filter.verticals = filter.verticals.iter().map(|v| v.trim().to_ascii_lowercase()).collect();
        filter.name_contains = filter
            .name_contains
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        errors.finish(|| SegmentFields {
            name: name.unwrap(),
            description: description.unwrap(),
            filter,
        })
    }
}
