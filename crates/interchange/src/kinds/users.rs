//! Users: portal accounts of vendor staff and partner people. Passwords never travel in
//! files; imported users set theirs through an invitation. Exports add the user's id,
//! status and sign-in times for information; import ignores those columns.

use tributary_domain::user::{UserFields, UserInput};
use tributary_domain::validation::{Errors, FieldError};

use super::{ExportKind, ImportKind, flag_cell, optional_cell, validated};
use crate::column::Column;
use crate::row::RowValues;

/// Portal users.
#[derive(Debug, Clone, Copy)]
pub struct Users;

/// A user as exported, in the plain text the store holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: String,
    pub email: String,
    pub display_name: String,
    /// Role code such as `partner_admin`.
    pub role: String,
    pub partner_id: Option<String>,
    pub active: bool,
    /// RFC 3339 timestamp.
    pub created_at: String,
    /// RFC 3339 timestamp; `None` if the user never signed in.
    pub last_login_at: Option<String>,
}

impl ImportKind for Users {
    type Input = UserInput;
    type Fields = UserFields;
    const NAME: &'static str = "users";
    const COLUMNS: &'static [Column] = &[
        Column::export_only(
            "id",
            "The user's id (ignored on import)",
            "0190d0d0-0000-7000-8000-000000000003",
        ),
        Column::required("email", "E-mail address the user signs in with", "ann@acme.example"),
        Column::required(
            "display_name",
            "Name shown in the portal, at most 120 characters",
            "Ann Example",
        ),
        Column::required(
            "role",
            "One of: admin, channel_manager, finance, legal, marketing, partner_admin, partner_user",
            "partner_user",
        ),
        Column::optional(
            "partner_id",
            "For partner roles: the id of the user's partner organisation; blank for vendor roles",
            "0190d0d0-0000-7000-8000-000000000001",
        ),
        Column::export_only("active", "Whether the user may sign in (ignored on import)", "true"),
        Column::export_only(
            "created_at",
            "When the user was added (ignored on import)",
            "2026-01-05T09:30:00Z",
        ),
        Column::export_only("last_login_at", "Last sign-in, blank if never (ignored on import)", ""),
    ];

    fn parse(row: &RowValues<'_>) -> Result<(UserInput, UserFields), Vec<FieldError>> {
        let input = UserInput {
            email: row.text("email"),
            display_name: row.text("display_name"),
            role: row.text("role"),
            partner_id: row.optional("partner_id"),
            password: None,
        };
        validated(input, Errors::new(), UserInput::validate)
    }
}

impl ExportKind for Users {
    type Record<'a> = &'a UserRecord;

    fn cells(user: Self::Record<'_>) -> Vec<String> {
        vec![
            user.id.clone(),
            user.email.clone(),
            user.display_name.clone(),
            user.role.clone(),
            optional_cell(user.partner_id.as_ref()),
            flag_cell(user.active),
            user.created_at.clone(),
            optional_cell(user.last_login_at.as_ref()),
        ]
    }
}
