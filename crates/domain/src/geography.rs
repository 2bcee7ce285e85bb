//! Geographies and verticals: regions group ISO countries ("EMEA", "DACH"); verticals are
//! the industries partners specialise in. Both are short codes with a display name.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::partner::country_code;
use crate::validation::{Errors, FieldError, required_text};

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct RegionInput {
    /// Short code such as "emea".
    pub code: String,
    pub name: String,
    /// ISO 3166 country codes in the region.
    pub countries: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RegionFields {
    pub code: String,
    pub name: String,
    pub countries: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct VerticalInput {
    /// Short code such as "healthcare".
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct VerticalFields {
    pub code: String,
    pub name: String,
}

/// A short lower-case code of letters, digits, `_` and `-`.
pub fn short_code(value: &str) -> Result<String, String> {
    let code = required_text(value, 40)?.to_ascii_lowercase();
    if code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        Ok(code)
    } else {
        Err(format!("'{code}' may contain only letters, digits, _ and -"))
    }
}

impl RegionInput {
    pub fn validate(&self) -> Result<RegionFields, Vec<FieldError>> {
        let mut errors = Errors::new();
        let code = errors.check("code", short_code(&self.code));
        let name = errors.check("name", required_text(&self.name, 100));
        let mut countries = Vec::new();
        for text in &self.countries {
            if let Some(c) = errors.check("countries", country_code(text))
                && !countries.contains(&c)
            {
                countries.push(c);
            }
        }
        errors.finish(|| RegionFields {
            code: code.unwrap(),
            name: name.unwrap(),
            countries,
        })
    }
}

impl VerticalInput {
    pub fn validate(&self) -> Result<VerticalFields, Vec<FieldError>> {
        let mut errors = Errors::new();
        let code = errors.check("code", short_code(&self.code));
        let name = errors.check("name", required_text(&self.name, 100));
        errors.finish(|| VerticalFields {
            code: code.unwrap(),
            name: name.unwrap(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_validate_countries() {
        let region = RegionInput {
            code: "DACH".into(),
            name: "Germany, Austria, Switzerland".into(),
            countries: vec!["de".into(), "AT".into(), "CH".into()],
        };
        assert_eq!(region.validate().unwrap().code, "dach");
        let bad = RegionInput {
            countries: vec!["XX".into()],
            ..region
        };
        assert_eq!(bad.validate().unwrap_err()[0].field, "countries");
        assert!(short_code("a b").is_err());
    }
}
