//! CSV import: valid files of every kind, and every kind of bad input reported with the
//! spreadsheet row, the column and the reason.

use tributary_domain::partner::{PartnerStatus, PartnerType};
use tributary_interchange::{
    Accounts, CsvImport, FxRates, ImportError, ImportKind, Partners, Products, Regions, RowError, SalesFacts, Users,
    Verticals, template_csv,
};

use crate::fixtures::{DISTRIBUTOR_ID, errors, fields, import};

const PARTNER_HEADER: &str =
    "id,name,partner_type,distributor_id,size_band,verticals,countries_served,country,payout_currency,tax_country";
const SALES_HEADER: &str = "fact_date,partner_id,account_id,product_sku,quantity,amount,currency";

fn partner_csv(rows: &[&str]) -> String {
    format!("{PARTNER_HEADER}\n{}\n", rows.join("\n"))
}

fn sales_csv(rows: &[&str]) -> String {
    format!("{SALES_HEADER}\n{}\n", rows.join("\n"))
}

fn error(row: u64, column: &str, message: &str) -> RowError {
    RowError {
        row,
        column: column.into(),
        message: message.into(),
    }
}

fn header_error<K: ImportKind>(csv: &str) -> ImportError {
    match CsvImport::<K, _>::new(csv.as_bytes()) {
        Ok(_) => panic!("the header of {csv:?} was accepted"),
        Err(error) => error,
    }
}

fn assert_template_imports<K: ImportKind>() {
    let rows = import::<K>(&template_csv::<K>());
    assert_eq!(rows.len(), 1, "{}", K::NAME);
    let row = rows
        .into_iter()
        .next()
        .unwrap()
        .unwrap_or_else(|e| panic!("{} template: {e:?}", K::NAME));
    assert_eq!(row.row, 2);
}

#[test]
fn the_template_of_every_kind_imports() {
    assert_template_imports::<Partners>();
    assert_template_imports::<Users>();
    assert_template_imports::<Products>();
    assert_template_imports::<Accounts>();
    assert_template_imports::<Regions>();
    assert_template_imports::<Verticals>();
    assert_template_imports::<FxRates>();
    assert_template_imports::<SalesFacts>();
}

/// Garbage in every cell: whatever the domain objects to must be named by a declared column.
fn assert_errors_name_columns<K: ImportKind>() {
    let names: Vec<&str> = K::COLUMNS.iter().map(|c| c.name).collect();
    let garbage = vec!["=?%"; names.len()].join(",");
    let found = errors::<K>(&format!("{}\n{garbage}\n", names.join(",")));
    assert!(!found.is_empty(), "{}", K::NAME);
    for error in found {
        assert!(names.contains(&error.column.as_str()), "{}: {error}", K::NAME);
    }
}

#[test]
fn every_field_error_names_a_column() {
    assert_errors_name_columns::<Partners>();
    assert_errors_name_columns::<Users>();
    assert_errors_name_columns::<Products>();
    assert_errors_name_columns::<Accounts>();
    assert_errors_name_columns::<Regions>();
    assert_errors_name_columns::<Verticals>();
    assert_errors_name_columns::<FxRates>();
    assert_errors_name_columns::<SalesFacts>();
}

#[test]
fn a_partner_file_with_a_loose_header_and_a_bom_imports() {
    let csv = "\u{feff} ID ,NAME,Partner_Type,size_band,Verticals,countries_served,country,payout_currency,tax_country,status\n\
               ,Acme,reseller,11-50,Healthcare; retail;,de;AT,DE,eur,DE,\n\
               0190D0D0-0000-7000-8000-00000000000A,Beta,msp,1-10,,,FR,EUR,FR,active\n";
    let rows = import::<Partners>(csv);
    let acme = rows[0].as_ref().unwrap();
    assert_eq!(acme.row, 2);
    assert_eq!(acme.fields.id, None);
    assert_eq!(acme.fields.fields.verticals, vec!["healthcare", "retail"]);
    assert_eq!(acme.fields.fields.countries_served, vec!["DE", "AT"]);
    assert_eq!(acme.fields.fields.status, PartnerStatus::Prospect);
    assert_eq!(acme.input.countries_served, vec!["de", "AT"]);
    let beta = rows[1].as_ref().unwrap();
    assert_eq!(beta.row, 3);
    assert_eq!(beta.fields.id.as_deref(), Some("0190d0d0-0000-7000-8000-00000000000a"));
    assert_eq!(beta.fields.fields.partner_type, PartnerType::Msp);
}

#[test]
fn a_byte_order_mark_before_the_first_column_is_ignored() {
    let verticals = fields::<Verticals>("\u{feff}code,name\nretail,Retail\n");
    assert_eq!(verticals[0].code, "retail");
}

#[test]
fn bad_partner_cells_are_reported_by_row_and_column() {
    let csv = partner_csv(&[
        ",Good,reseller,,11-50,,,DE,EUR,DE",
        ",Acme,reseller,,11-50,,,DE,EURO,DE",
        "not-an-id,Acme,vendor,,11-50,,DE;XX,Germany,EUR,DE",
    ]);
    let rows = import::<Partners>(&csv);
    assert!(rows[0].is_ok());
    let currency = rows[1].as_ref().unwrap_err();
    assert_eq!(
        currency,
        &vec![error(3, "payout_currency", "'EURO' is not an ISO 4217 currency code")]
    );
    assert_eq!(
        currency[0].to_string(),
        "row 3, column \"payout_currency\": 'EURO' is not an ISO 4217 currency code"
    );
    let several = rows[2].as_ref().unwrap_err();
    let columns: Vec<&str> = several.iter().map(|e| e.column.as_str()).collect();
    assert_eq!(
        columns,
        ["id", "partner_type", "countries_served", "country"],
        "in column order"
    );
    assert_eq!(several[0], error(4, "id", "'not-an-id' is not a valid identifier"));
    assert_eq!(
        several[1].message,
        "'vendor' is not a partner type (one of: reseller, distributor, msp, system_integrator, referral)"
    );
    assert_eq!(several[2].message, "'XX' is not an ISO 3166 country code");
    assert_eq!(
        several[3],
        error(4, "country", "'Germany' is not an ISO 3166 country code")
    );
}

#[test]
fn cross_field_rules_name_the_column_the_domain_blames() {
    let found = errors::<Partners>(&partner_csv(&[&format!(
        ",Acme,msp,{DISTRIBUTOR_ID},11-50,,,DE,EUR,DE"
    )]));
    assert_eq!(
        found,
        vec![error(
            2,
            "distributor_id",
            "only a reseller can be attached to a distributor"
        )]
    );
}

#[test]
fn sales_lines_are_validated_like_the_api() {
    let csv = sales_csv(&[
        "2026-03-31,p1,a1,fw-100,2,2598.00,USD",
        "31/03/2026,p1,a1,fw-100,2,2598.00,USD",
        "2026-03-31,p1,a1,fw-100,1,1500.5,JPY",
        "2026-03-31,p1,a1,fw-100,-1,12.50,EUR",
        "2026-03-31,p1,a1,fw-100,1.5,1,EUR",
    ]);
    let rows = import::<SalesFacts>(&csv);
    let sale = rows[0].as_ref().unwrap();
    assert_eq!((sale.fields.quantity, sale.fields.amount_minor), (2, 259_800));
    assert_eq!(sale.fields.product_sku, "FW-100");
    assert_eq!(
        rows[1].as_ref().unwrap_err(),
        &vec![error(
            3,
            "fact_date",
            "'31/03/2026' is not a date in the form YYYY-MM-DD"
        )]
    );
    assert_eq!(
        rows[2].as_ref().unwrap_err(),
        &vec![error(4, "amount", "1500.5 has more decimals than JPY allows (0)")]
    );
    assert_eq!(
        rows[3].as_ref().unwrap_err(),
        &vec![error(
            5,
            "amount",
            "quantity and amount must have the same sign (returns are negative in both)"
        )]
    );
    assert_eq!(
        rows[4].as_ref().unwrap_err(),
        &vec![error(6, "quantity", "'1.5' is not a whole number")]
    );
}

#[test]
fn header_problems_stop_the_import_and_name_the_columns() {
    let missing = header_error::<Partners>("name,partner_type,size_band,country,tax_country\n");
    let ImportError::Header(header) = &missing else {
        panic!("{missing:?}")
    };
    assert_eq!(header.missing, vec!["payout_currency"]);
    assert!(
        missing
            .to_string()
            .contains("missing required column \"payout_currency\""),
        "{missing}"
    );

    let unknown = header_error::<Verticals>("code,name,colour\n");
    let ImportError::Header(header) = &unknown else {
        panic!("{unknown:?}")
    };
    assert_eq!(header.unknown, vec!["colour"]);
    assert!(unknown.to_string().contains("unknown column \"colour\""), "{unknown}");

    let password = header_error::<Users>("email,display_name,role,password\n");
    assert!(
        password.to_string().contains("unknown column \"password\""),
        "{password}"
    );

    assert!(matches!(header_error::<Verticals>(""), ImportError::Empty));
    let twice = header_error::<Verticals>("code,name,CODE\n");
    assert_eq!(twice.to_string(), "header row: column \"code\" appears more than once");
    assert!(matches!(
        CsvImport::<Verticals, _>::new(&b"code,na\xffme\n"[..]),
        Err(ImportError::HeaderNotUtf8)
    ));
}

#[test]
fn a_ragged_row_is_an_error_of_that_row_only() {
    let rows = import::<Verticals>("code,name\nretail,Retail\nhealthcare\nenergy,Energy,extra\nlegal,Legal\n");
    assert!(rows[0].is_ok());
    assert_eq!(
        rows[1].as_ref().unwrap_err(),
        &vec![error(3, "", "has 1 cell but the header has 2 columns")]
    );
    assert_eq!(
        rows[2].as_ref().unwrap_err()[0].to_string(),
        "row 4: has 3 cells but the header has 2 columns"
    );
    assert_eq!(rows[3].as_ref().unwrap().row, 5);
}

#[test]
fn invalid_utf8_is_an_error_of_its_cell() {
    let rows: Vec<_> = CsvImport::<Verticals, _>::new(&b"code,name\nretail,Caf\xe9\nlegal,Legal\n"[..])
        .unwrap()
        .collect();
    assert_eq!(
        rows[0].as_ref().unwrap_err(),
        &vec![error(
            2,
            "name",
            "is not valid UTF-8 text; save the file as \"CSV UTF-8\""
        )]
    );
    assert!(rows[1].is_ok());
}

#[test]
fn blank_spreadsheet_rows_are_skipped_but_counted() {
    let rows = import::<Verticals>("code,name\n,\nretail,Retail\n\" \",\n\"multi\nline\",x\n");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].as_ref().unwrap().row, 3);
    assert_eq!(
        rows[1].as_ref().unwrap_err()[0].row,
        5,
        "a quoted line break stays in its row"
    );
}

#[test]
fn progress_counts_the_bytes_read() {
    let csv = format!(
        "code,name\n{}",
        (0..2000).map(|i| format!("v{i},Vertical {i}\n")).collect::<String>()
    );
    let mut import = CsvImport::<Verticals, _>::new(csv.as_bytes()).unwrap();
    let mut last = import.bytes_read();
    assert!(last > 0);
    let mut rows = 0;
    while let Some(row) = import.next() {
        row.unwrap();
        rows += 1;
        assert!(import.bytes_read() >= last);
        last = import.bytes_read();
    }
    assert_eq!(rows, 2000);
    assert_eq!(import.bytes_read(), csv.len() as u64);
}

#[test]
fn users_products_accounts_regions_and_rates_import() {
    let users = import::<Users>(
        "email,display_name,role,partner_id\nAnn@Acme.example,Ann,partner_admin,p1\nbob@vendor.example,Bob,finance,\ncat@acme.example,Cat,partner_user,\n",
    );
    assert_eq!(users[0].as_ref().unwrap().fields.email, "ann@acme.example");
    assert!(users[0].as_ref().unwrap().input.password.is_none());
    assert!(users[1].is_ok());
    assert_eq!(
        users[2].as_ref().unwrap_err(),
        &vec![error(4, "partner_id", "a partner role needs a partner organisation")]
    );

    let products = import::<Products>(
        "sku,name,family,list_price,currency,active\nA-1,A,F,10.00,EUR,yes\nB-2,B,F,10,EUR,0\nC-3,C,F,10,EUR,\nD-4,D,F,-1,EUR,maybe\n",
    );
    let active: Vec<bool> = products[..3]
        .iter()
        .map(|p| p.as_ref().unwrap().fields.active)
        .collect();
    assert_eq!(active, [true, false, true]);
    assert_eq!(
        products[3].as_ref().unwrap_err(),
        &vec![
            error(5, "list_price", "-1 must not be negative"),
            error(
                5,
                "active",
                "'maybe' is not a yes/no value (true, false, yes, no, 1 or 0)"
            ),
        ]
    );

    let accounts = fields::<Accounts>(
        "name,kind,domains,country,is_house_account\nGlobex,company,globex.example; WWW.Globex.test,us,Yes\n",
    );
    assert_eq!(accounts[0].fields.domains, vec!["globex.example", "globex.test"]);
    assert!(accounts[0].fields.is_house_account);
    let orphan = errors::<Accounts>("name,kind,country,is_house_account\nBerlin office,office,DE,perhaps\n");
    let columns: Vec<&str> = orphan.iter().map(|e| e.column.as_str()).collect();
    assert_eq!(columns, ["parent_id", "is_house_account"]);

    let regions = import::<Regions>("code,name,countries\nDACH,Dach,de;at;ch\nbad,Bad,DE;ZZ\n");
    assert_eq!(regions[0].as_ref().unwrap().fields.countries, vec!["DE", "AT", "CH"]);
    assert_eq!(
        regions[1].as_ref().unwrap_err(),
        &vec![error(3, "countries", "'ZZ' is not an ISO 3166 country code")]
    );

    let rates = import::<FxRates>(
        "from_currency,to_currency,rate_date,rate\nEUR,USD,2026-01-02,1.0842\nEUR,eur,2026-01-02,1\n",
    );
    assert_eq!(rates[0].as_ref().unwrap().fields.rate.to_string(), "1.0842");
    assert_eq!(
        rates[1].as_ref().unwrap_err(),
        &vec![error(3, "to_currency", "must differ from from_currency")]
    );
}
