//! Regions and verticals: the small code lists partners are grouped by, keyed by code.

use tributary_domain::geography::{RegionFields, RegionInput, VerticalFields, VerticalInput};
use tributary_domain::validation::{Errors, FieldError};

use super::{ExportKind, ImportKind, list_cell, validated};
use crate::column::Column;
use crate::row::RowValues;

/// Regions: named groups of countries.
#[derive(Debug, Clone, Copy)]
pub struct Regions;

/// Verticals: the industries partners specialise in.
#[derive(Debug, Clone, Copy)]
pub struct Verticals;

impl ImportKind for Regions {
    type Input = RegionInput;
    type Fields = RegionFields;
    const NAME: &'static str = "regions";
    const COLUMNS: &'static [Column] = &[
        Column::required(
            "code",
            "Short code: letters, digits, _ and - (the region's key)",
            "dach",
        ),
        Column::required(
            "name",
            "Display name, at most 100 characters",
            "Germany, Austria, Switzerland",
        ),
        Column::optional("countries", "ISO 3166 country codes separated by ;", "DE;AT;CH"),
    ];

    fn parse(row: &RowValues<'_>) -> Result<(RegionInput, RegionFields), Vec<FieldError>> {
        let input = RegionInput {
            code: row.text("code"),
            name: row.text("name"),
            countries: row.list("countries"),
        };
        validated(input, Errors::new(), RegionInput::validate)
    }
}

impl ExportKind for Regions {
    type Record<'a> = &'a RegionFields;

    fn cells(region: Self::Record<'_>) -> Vec<String> {
        vec![region.code.clone(), region.name.clone(), list_cell(&region.countries)]
    }
}

impl ImportKind for Verticals {
    type Input = VerticalInput;
    type Fields = VerticalFields;
    const NAME: &'static str = "verticals";
    const COLUMNS: &'static [Column] = &[
        Column::required(
            "code",
            "Short code: letters, digits, _ and - (the vertical's key)",
            "healthcare",
        ),
        Column::required("name", "Display name, at most 100 characters", "Healthcare"),
    ];

    fn parse(row: &RowValues<'_>) -> Result<(VerticalInput, VerticalFields), Vec<FieldError>> {
        let input = VerticalInput {
            code: row.text("code"),
            name: row.text("name"),
        };
        validated(input, Errors::new(), VerticalInput::validate)
    }
}

impl ExportKind for Verticals {
    type Record<'a> = &'a VerticalFields;

    fn cells(vertical: Self::Record<'_>) -> Vec<String> {
        vec![vertical.code.clone(), vertical.name.clone()]
    }
}
