//! Users: vendor staff and partner people who sign in to the portal.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::role::Role;
use crate::validation::{Errors, FieldError, required_text};

/// Shortest password accepted.
pub const PASSWORD_MIN_CHARS: usize = 12;

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct UserInput {
    pub email: String,
    pub display_name: String,
    /// admin, channel_manager, finance, legal, marketing, partner_admin or partner_user.
    pub role: String,
    /// Required for partner roles, absent for vendor roles.
    pub partner_id: Option<String>,
    /// Initial password (at least 12 characters); omit to create a user who cannot sign in yet.
    pub password: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UserFields {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub partner_id: Option<String>,
}

/// A plausible e-mail address, lower-cased.
pub fn email(value: &str) -> Result<String, String> {
    let text = value.trim().to_ascii_lowercase();
    let valid = text.len() <= 254
        && text.split_once('@').is_some_and(|(local, host)| {
            !local.is_empty()
                && !host.starts_with('.')
                && host.contains('.')
                && !text.chars().any(|c| c.is_whitespace() || c == '<' || c == '>')
        });
    if valid {
        Ok(text)
    } else {
        Err(format!("'{}' is not an e-mail address", value.trim()))
    }
}

/// Password strength rule shared by every way of setting one.
pub fn password(value: &str) -> Result<(), String> {
    if value.chars().count() < PASSWORD_MIN_CHARS {
        Err(format!("must be at least {PASSWORD_MIN_CHARS} characters"))
    } else {
        Ok(())
    }
}

impl UserInput {
    pub fn validate(&self) -> Result<UserFields, Vec<FieldError>> {
        let mut errors = Errors::new();
        let email = errors.check("email", email(&self.email));
        let display_name = errors.check("display_name", required_text(&self.display_name, 120));
        let role = errors.check("role", Role::parse(&self.role));
        if let Some(pw) = &self.password {
            errors.check("password", password(pw));
        }
        let partner_id = self
            .partner_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        match (role, &partner_id) {
            (Some(r), None) if r.is_partner() => {
                errors.add("partner_id", "a partner role needs a partner organisation")
            }
            (Some(r), Some(_)) if !r.is_partner() => {
                errors.add("partner_id", "vendor roles do not belong to a partner organisation")
            }
            _ => {}
        }
        errors.finish(|| UserFields {
            email: email.unwrap(),
            display_name: display_name.unwrap(),
            role: role.unwrap(),
            partner_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_rules() {
        let ok = UserInput {
            email: "Ann@Example.com".into(),
            display_name: "Ann".into(),
            role: "channel_manager".into(),
            ..Default::default()
        };
        assert_eq!(ok.validate().unwrap().email, "ann@example.com");
        let partner_without_org = UserInput {
            role: "partner_user".into(),
            ..ok.clone()
        };
        assert_eq!(partner_without_org.validate().unwrap_err()[0].field, "partner_id");
        let short_pw = UserInput {
            password: Some("short".into()),
            ..ok
        };
        assert_eq!(short_pw.validate().unwrap_err()[0].field, "password");
        assert!(email("no-at-sign").is_err());
    }
}
