//! Customer accounts: companies, subsidiaries and offices. Rows with an `id` update that
//! account; a subsidiary or office names its parent by id.

use tributary_domain::account::{AccountFields, AccountInput};
use tributary_domain::validation::{Errors, FieldError};

use super::{ExportKind, ImportKind, Upsert, flag_cell, list_cell, optional_cell, validated_upsert};
use crate::column::Column;
use crate::row::RowValues;

/// Customer accounts.
#[derive(Debug, Clone, Copy)]
pub struct Accounts;

impl ImportKind for Accounts {
    type Input = AccountInput;
    type Fields = Upsert<AccountFields>;
    const NAME: &'static str = "accounts";
    const COLUMNS: &'static [Column] = &[
        Column::optional(
            "id",
            "Leave blank to add an account; an existing account's id (as exported) updates that account",
            "",
        ),
        Column::required("name", "Customer name, at most 200 characters", "Globex Corporation"),
        Column::required("kind", "One of: company, subsidiary, office", "company"),
        Column::optional(
            "parent_id",
            "Id of the parent account (required for subsidiaries and offices)",
            "",
        ),
        Column::optional(
            "domains",
            "The customer's web domains separated by ;",
            "globex.example;globex.test",
        ),
        Column::required("country", "ISO 3166 country code", "US"),
        Column::optional("city", "City", "Springfield"),
        Column::optional(
            "is_house_account",
            "Owned by the vendor's direct sales team: true/false, yes/no or 1/0 (blank: false)",
            "false",
        ),
    ];

    fn parse(row: &RowValues<'_>) -> Result<(AccountInput, Upsert<AccountFields>), Vec<FieldError>> {
        let mut errors = Errors::new();
        let input = AccountInput {
            name: row.text("name"),
            kind: row.text("kind"),
            parent_id: row.optional("parent_id"),
            domains: row.list("domains"),
            country: row.text("country"),
            city: row.optional("city"),
            is_house_account: errors
                .check("is_house_account", row.flag("is_house_account"))
                .flatten()
                .unwrap_or(false),
        };
        validated_upsert(row, errors, input, AccountInput::validate)
    }
}

impl ExportKind for Accounts {
    /// The account's id and attributes.
    type Record<'a> = (&'a str, &'a AccountFields);

    fn cells((id, account): Self::Record<'_>) -> Vec<String> {
        vec![
            id.to_string(),
            account.name.clone(),
            account.kind.to_string(),
            optional_cell(account.parent_id.as_ref()),
            list_cell(&account.domains),
            account.country.clone(),
            optional_cell(account.city.as_ref()),
            flag_cell(account.is_house_account),
        ]
    }
}
