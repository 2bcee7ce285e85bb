//! Partners: one row per partner organisation. Rows with an `id` update that partner, rows
//! without create one, so the export of the partner list is also its bulk-edit form.

use tributary_domain::partner::{PartnerFields, PartnerInput};
use tributary_domain::validation::{Errors, FieldError};

use super::{ExportKind, ImportKind, Upsert, list_cell, optional_cell, validated_upsert};
use crate::column::Column;
use crate::row::RowValues;

/// Partner organisations.
#[derive(Debug, Clone, Copy)]
pub struct Partners;

impl ImportKind for Partners {
    type Input = PartnerInput;
    type Fields = Upsert<PartnerFields>;
    const NAME: &'static str = "partners";
    const COLUMNS: &'static [Column] = &[
        Column::optional(
            "id",
            "Leave blank to add a partner; an existing partner's id (as exported) updates that partner",
            "",
        ),
        Column::required("name", "Trading name, at most 200 characters", "Acme Networks GmbH"),
        Column::required(
            "partner_type",
            "One of: reseller, distributor, msp, system_integrator, referral",
            "reseller",
        ),
        Column::optional(
            "distributor_id",
            "For a reseller: the id of the distributor it buys through",
            "0190d0d0-0000-7000-8000-000000000001",
        ),
        Column::required(
            "size_band",
            "Head count, one of: 1-10, 11-50, 51-200, 201-1000, 1000+",
            "11-50",
        ),
        Column::optional("verticals", "Vertical codes separated by ;", "healthcare;retail"),
        Column::optional("countries_served", "ISO 3166 country codes separated by ;", "DE;AT;CH"),
        Column::optional(
            "address_line",
            "Street address of the head office",
            "Friedrichstrasse 68",
        ),
        Column::optional("city", "City of the head office", "Berlin"),
        Column::optional("postal_code", "Postal code of the head office", "10117"),
        Column::required("country", "ISO 3166 country code of the head office", "DE"),
        Column::optional(
            "latitude",
            "Decimal degrees, -90 to 90 (given together with longitude)",
            "52.5200",
        ),
        Column::optional(
            "longitude",
            "Decimal degrees, -180 to 180 (given together with latitude)",
            "13.4050",
        ),
        Column::optional("website_domain", "Web domain such as example.com", "acme.example"),
        Column::required(
            "payout_currency",
            "ISO 4217 code of the currency the partner is paid in",
            "EUR",
        ),
        Column::required(
            "tax_country",
            "ISO 3166 country code that decides withholding tax",
            "DE",
        ),
        Column::optional(
            "status",
            "One of: prospect, onboarding, active, suspended, terminated (blank: prospect)",
            "active",
        ),
        Column::optional(
            "channel_manager_id",
            "Id of the channel manager looking after the partner",
            "0190d0d0-0000-7000-8000-000000000002",
        ),
    ];

    fn parse(row: &RowValues<'_>) -> Result<(PartnerInput, Upsert<PartnerFields>), Vec<FieldError>> {
        let input = PartnerInput {
            name: row.text("name"),
            partner_type: row.text("partner_type"),
            distributor_id: row.optional("distributor_id"),
            size_band: row.text("size_band"),
            verticals: row.list("verticals"),
            countries_served: row.list("countries_served"),
            address_line: row.optional("address_line"),
            city: row.optional("city"),
            postal_code: row.optional("postal_code"),
            country: row.text("country"),
            latitude: row.optional("latitude"),
            longitude: row.optional("longitude"),
            website_domain: row.optional("website_domain"),
            payout_currency: row.text("payout_currency"),
            tax_country: row.text("tax_country"),
            status: row.optional("status"),
            channel_manager_id: row.optional("channel_manager_id"),
            version: None,
        };
        validated_upsert(row, Errors::new(), input, PartnerInput::validate)
    }
}

impl ExportKind for Partners {
    /// The partner's id and attributes.
    type Record<'a> = (&'a str, &'a PartnerFields);

    fn cells((id, partner): Self::Record<'_>) -> Vec<String> {
        vec![
            id.to_string(),
            partner.name.clone(),
            partner.partner_type.to_string(),
            optional_cell(partner.distributor_id.as_ref()),
            partner.size_band.to_string(),
            list_cell(&partner.verticals),
            list_cell(&partner.countries_served),
            optional_cell(partner.address_line.as_ref()),
            optional_cell(partner.city.as_ref()),
            optional_cell(partner.postal_code.as_ref()),
            partner.country.clone(),
            optional_cell(partner.latitude),
            optional_cell(partner.longitude),
            optional_cell(partner.website_domain.as_ref()),
            partner.payout_currency.to_string(),
            partner.tax_country.clone(),
            partner.status.to_string(),
            optional_cell(partner.channel_manager_id.as_ref()),
        ]
    }
}
