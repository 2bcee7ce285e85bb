//! Customer accounts: the end customers partners sell to, arranged as a hierarchy of a
//! company, its subsidiaries and their offices. House accounts belong to the vendor's
//! direct sales team and are off limits to partners.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::partner::country_code;
use crate::validation::{Errors, FieldError, domain, optional_text, required_text};

crate::code_enum! {
    /// Where an account sits in its hierarchy.
    pub enum AccountKind ("account kind") {
        Company => ("company", "Company"),
        Subsidiary => ("subsidiary", "Subsidiary"),
        Office => ("office", "Office"),
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct AccountInput {
    pub name: String,
    /// company, subsidiary or office.
    pub kind: String,
    /// The parent account (required for subsidiaries and offices).
    pub parent_id: Option<String>,
    /// Internet domains of the customer, e.g. ["example.com"].
    pub domains: Vec<String>,
    pub country: String,
    pub city: Option<String>,
    /// Owned by the vendor's direct sales team.
    pub is_house_account: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AccountFields {
    pub name: String,
    pub kind: AccountKind,
    pub parent_id: Option<String>,
    pub domains: Vec<String>,
    pub country: String,
    pub city: Option<String>,
    pub is_house_account: bool,
}

impl AccountInput {
    pub fn validate(&self) -> Result<AccountFields, Vec<FieldError>> {
        let mut errors = Errors::new();
        let name = errors.check("name", required_text(&self.name, 200));
        let kind = errors.check("kind", AccountKind::parse(&self.kind));
        let country = errors.check("country", country_code(&self.country));
        let city = errors.check("city", optional_text(self.city.as_deref(), 120));
        let mut domains = Vec::new();
        for text in self.domains.iter().filter(|d| !d.trim().is_empty()) {
            if let Some(name) = errors.check("domains", domain(text))
                && !domains.contains(&name)
            {
                domains.push(name);
            }
        }
        let parent_id = self
            .parent_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        match (kind, &parent_id) {
            (Some(AccountKind::Company), Some(_)) => {
                errors.add("parent_id", "a company is the top of its hierarchy and has no parent")
            }
            (Some(AccountKind::Subsidiary | AccountKind::Office), None) => {
                errors.add("parent_id", "a subsidiary or office needs a parent account")
            }
            _ => {}
        }
        errors.finish(|| AccountFields {
            name: name.unwrap(),
            kind: kind.unwrap(),
            parent_id,
            domains,
            country: country.unwrap(),
            city: city.unwrap(),
            is_house_account: self.is_house_account,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hierarchy_rules() {
        let company = AccountInput {
            name: "Globex".into(),
            kind: "company".into(),
            domains: vec!["globex.example".into(), "GLOBEX.example".into()],
            country: "US".into(),
            ..Default::default()
        };
        assert_eq!(company.validate().unwrap().domains, vec!["globex.example"]);
        let orphan = AccountInput {
            kind: "office".into(),
            ..company.clone()
        };
        assert_eq!(orphan.validate().unwrap_err()[0].field, "parent_id");
        let bad_domain = AccountInput {
            domains: vec!["not a domain".into()],
            ..company
        };
        assert_eq!(bad_domain.validate().unwrap_err()[0].field, "domains");
    }
}
