//! Fixtures shared by the interchange tests: valid records of every kind and helpers to
//! import CSV text.

use tributary_domain::account::{AccountFields, AccountInput};
use tributary_domain::fx::{FxRateFields, FxRateInput};
use tributary_domain::geography::{RegionFields, RegionInput, VerticalFields, VerticalInput};
use tributary_domain::partner::{PartnerFields, PartnerInput};
use tributary_domain::product::{ProductFields, ProductInput};
use tributary_domain::sales::{SalesFactFields, SalesFactInput};
use tributary_domain::user::{UserFields, UserInput};
use tributary_interchange::{CsvImport, ImportKind, ImportedRow, RowError, SalesFactRecord, UserRecord};

pub const DISTRIBUTOR_ID: &str = "0190d0d0-0000-7000-8000-000000000001";
pub const PARTNER_ID: &str = "0190d0d0-0000-7000-8000-000000000005";
pub const ACCOUNT_ID: &str = "0190d0d0-0000-7000-8000-000000000006";

pub type Rows<K> = Vec<Result<ImportedRow<K>, Vec<RowError>>>;

/// Imports CSV text whose header is valid.
pub fn import<K: ImportKind>(csv: &str) -> Rows<K> {
    CsvImport::<K, _>::new(csv.as_bytes())
        .expect("the header is valid")
        .collect()
}

/// The fields of every row, failing on any row error.
pub fn fields<K: ImportKind>(csv: &str) -> Vec<K::Fields> {
    import::<K>(csv)
        .into_iter()
        .map(|row| {
            row.unwrap_or_else(|errors| panic!("unexpected errors: {errors:?}"))
                .fields
        })
        .collect()
}

/// Every row error of the file, failing if any row imports.
pub fn errors<K: ImportKind>(csv: &str) -> Vec<RowError> {
    import::<K>(csv)
        .into_iter()
        .flat_map(|row| match row {
            Ok(ok) => panic!("row {} unexpectedly imported", ok.row),
            Err(errors) => errors,
        })
        .collect()
}

pub fn partners() -> Vec<PartnerFields> {
    let reseller = PartnerInput {
        name: "Acme Networks GmbH".into(),
        partner_type: "reseller".into(),
        distributor_id: Some(DISTRIBUTOR_ID.into()),
        size_band: "11-50".into(),
        verticals: vec!["healthcare".into(), "retail".into()],
        countries_served: vec!["DE".into(), "AT".into()],
        address_line: Some("Friedrichstrasse 68, 2nd floor".into()),
        city: Some("Berlin".into()),
        postal_code: Some("10117".into()),
        country: "DE".into(),
        latitude: Some("52.5200".into()),
        longitude: Some("-13.4050".into()),
        website_domain: Some("acme.example".into()),
        payout_currency: "EUR".into(),
        tax_country: "DE".into(),
        status: Some("active".into()),
        channel_manager_id: Some("0190d0d0-0000-7000-8000-000000000002".into()),
        version: None,
    };
    let minimal = PartnerInput {
        name: "=Formula \"Quoted\" Partner".into(),
        partner_type: "msp".into(),
        size_band: "1000+".into(),
        country: "JP".into(),
        payout_currency: "JPY".into(),
        tax_country: "JP".into(),
        ..Default::default()
    };
    [reseller, minimal].iter().map(|p| p.validate().unwrap()).collect()
}

pub fn users() -> Vec<UserRecord> {
    let partner_user = UserInput {
        email: "ann@acme.example".into(),
        display_name: "Ann, the \"first\" user".into(),
        role: "partner_user".into(),
        partner_id: Some(PARTNER_ID.into()),
        password: None,
    };
    let admin = UserInput {
        email: "root@vendor.example".into(),
        display_name: "@admin".into(),
        role: "admin".into(),
        ..Default::default()
    };
    [partner_user, admin]
        .iter()
        .enumerate()
        .map(|(i, input)| user_record(i, input.validate().unwrap()))
        .collect()
}

fn user_record(index: usize, user: UserFields) -> UserRecord {
    UserRecord {
        id: format!("0190d0d0-0000-7000-8000-00000000010{index}"),
        email: user.email,
        display_name: user.display_name,
        role: user.role.as_str().into(),
        partner_id: user.partner_id,
        active: index == 0,
        created_at: "2026-01-05T09:30:00Z".into(),
        last_login_at: (index == 0).then(|| "2026-02-01T08:00:00Z".into()),
    }
}

pub fn products() -> Vec<ProductFields> {
    let products = [
        ("fw-100", "1299.10", "USD", Some(true)),
        ("sw/1", "15000", "JPY", Some(false)),
        ("kw.3", "0.125", "KWD", None),
    ];
    products
        .iter()
        .map(|(sku, price, currency, active)| {
            ProductInput {
                sku: sku.to_string(),
                name: format!("Product {sku}"),
                family: "Firewalls".into(),
                list_price: price.to_string(),
                currency: currency.to_string(),
                active: *active,
            }
            .validate()
            .unwrap()
        })
        .collect()
}

pub fn accounts() -> Vec<AccountFields> {
    let company = AccountInput {
        name: "Globex Corporation".into(),
        kind: "company".into(),
        domains: vec!["globex.example".into(), "globex.test".into()],
        country: "US".into(),
        city: Some("Springfield".into()),
        is_house_account: true,
        ..Default::default()
    };
    let office = AccountInput {
        name: "Globex Berlin office".into(),
        kind: "office".into(),
        parent_id: Some(ACCOUNT_ID.into()),
        country: "DE".into(),
        ..Default::default()
    };
    [company, office].iter().map(|a| a.validate().unwrap()).collect()
}

pub fn regions() -> Vec<RegionFields> {
    let dach = RegionInput {
        code: "dach".into(),
        name: "DACH".into(),
        countries: vec!["DE".into(), "AT".into(), "CH".into()],
    };
    let empty = RegionInput {
        code: "new".into(),
        name: "Not yet populated".into(),
        countries: vec![],
    };
    [dach, empty].iter().map(|r| r.validate().unwrap()).collect()
}

pub fn verticals() -> Vec<VerticalFields> {
    let verticals = [
        ("healthcare", "Healthcare"),
        ("public-sector", "Public sector; government"),
    ];
    verticals
        .iter()
        .map(|(code, name)| {
            VerticalInput {
                code: code.to_string(),
                name: name.to_string(),
            }
            .validate()
            .unwrap()
        })
        .collect()
}

pub fn fx_rates() -> Vec<FxRateFields> {
    let rates = [("EUR", "USD", "1.084200"), ("USD", "JPY", "151.37")];
    rates
        .iter()
        .map(|(from, to, rate)| {
            FxRateInput {
                from_currency: from.to_string(),
                to_currency: to.to_string(),
                rate_date: "2026-01-02".into(),
                rate: rate.to_string(),
            }
            .validate()
            .unwrap()
        })
        .collect()
}

/// A sales line; `amount` and `quantity` as typed.
pub fn sales_fact(quantity: &str, amount: &str, currency: &str) -> SalesFactFields {
    SalesFactInput {
        fact_date: "2026-03-31".into(),
        partner_id: PARTNER_ID.into(),
        distributor_id: None,
        account_id: ACCOUNT_ID.into(),
        product_sku: "FW-100".into(),
        quantity: quantity.into(),
        amount: amount.into(),
        currency: currency.into(),
        deal_ref: None,
        source: None,
        cost: None,
    }
    .validate()
    .unwrap()
}

pub fn sales_facts() -> Vec<SalesFactRecord> {
    let sale = SalesFactFields {
        distributor_id: Some(DISTRIBUTOR_ID.into()),
        deal_ref: Some("DR-2026-0042".into()),
        source: "erp".into(),
        ..sales_fact("2", "2598.00", "USD")
    };
    let facts = [
        sale,
        sales_fact("-1", "-12.50", "EUR"),
        sales_fact("3", "45000", "JPY"),
        sales_fact("0", "0.005", "KWD"),
    ];
    facts
        .into_iter()
        .enumerate()
        .map(|(i, fact)| SalesFactRecord {
            id: format!("0190d0d0-0000-7000-8000-00000000020{i}"),
            fact,
            deal_registered: i == 0,
            created_at: "2026-04-01T06:00:00Z".into(),
        })
        .collect()
}
