//! CSV export: the same columns as import, exact decimals, neutralised formulas, and an
//! export that imports back to the same fields for every kind.

use tributary_interchange::{
    Accounts, CsvExport, ExportKind, FxRates, ImportKind, Partners, Products, Regions, SalesFacts, Upsert, Users,
    Verticals, columns_markdown, export_csv, template_csv,
};

use crate::fixtures;

fn export<'a, K: ExportKind>(records: impl IntoIterator<Item = K::Record<'a>>) -> String {
    String::from_utf8(export_csv::<K, _>(Vec::new(), records).unwrap()).unwrap()
}

fn header_of(csv: &str) -> &str {
    csv.lines().next().unwrap()
}

#[test]
fn partners_and_accounts_round_trip_with_their_ids() {
    let partners = fixtures::partners();
    let ids = [
        "0190d0d0-0000-7000-8000-0000000000a1",
        "0190d0d0-0000-7000-8000-0000000000a2",
    ];
    let csv = export::<Partners>(ids.iter().copied().zip(&partners));
    let expected: Vec<_> = ids
        .iter()
        .zip(&partners)
        .map(|(id, p)| Upsert {
            id: Some(id.to_string()),
            fields: p.clone(),
        })
        .collect();
    assert_eq!(fixtures::fields::<Partners>(&csv), expected);

    let accounts = fixtures::accounts();
    let csv = export::<Accounts>(ids.iter().copied().zip(&accounts));
    let expected: Vec<_> = ids
        .iter()
        .zip(&accounts)
        .map(|(id, a)| Upsert {
            id: Some(id.to_string()),
            fields: a.clone(),
        })
        .collect();
    assert_eq!(fixtures::fields::<Accounts>(&csv), expected);
}

#[test]
fn catalogue_and_reference_data_round_trip() {
    let products = fixtures::products();
    assert_eq!(fixtures::fields::<Products>(&export::<Products>(&products)), products);
    let regions = fixtures::regions();
    assert_eq!(fixtures::fields::<Regions>(&export::<Regions>(&regions)), regions);
    let verticals = fixtures::verticals();
    assert_eq!(
        fixtures::fields::<Verticals>(&export::<Verticals>(&verticals)),
        verticals
    );
    let rates = fixtures::fx_rates();
    assert_eq!(fixtures::fields::<FxRates>(&export::<FxRates>(&rates)), rates);
}

#[test]
fn users_round_trip_and_their_export_only_columns_are_ignored() {
    let users = fixtures::users();
    let csv = export::<Users>(&users);
    assert_eq!(
        header_of(&csv),
        "id,email,display_name,role,partner_id,active,created_at,last_login_at"
    );
    let imported = fixtures::fields::<Users>(&csv);
    for (user, fields) in users.iter().zip(&imported) {
        assert_eq!(fields.email, user.email);
        assert_eq!(fields.display_name, user.display_name);
        assert_eq!(fields.role.as_str(), user.role);
        assert_eq!(fields.partner_id, user.partner_id);
    }
    assert!(
        csv.contains(",true,2026-01-05T09:30:00Z,2026-02-01T08:00:00Z\n"),
        "{csv}"
    );
}

#[test]
fn sales_facts_round_trip_with_exact_amounts() {
    let records = fixtures::sales_facts();
    let csv = export::<SalesFacts>(&records);
    assert_eq!(
        header_of(&csv),
        "id,fact_date,partner_id,distributor_id,account_id,product_sku,quantity,amount,currency,deal_ref,source,cost,deal_registered,created_at"
    );
    let amounts: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|line| line.split(',').nth(7).unwrap())
        .collect();
    assert_eq!(amounts, ["2598.00", "-12.50", "45000", "0.005"]);
    let facts: Vec<_> = records.iter().map(|r| r.fact.clone()).collect();
    assert_eq!(fixtures::fields::<SalesFacts>(&csv), facts);
}

#[test]
fn decimals_are_written_exactly() {
    let products = export::<Products>(&fixtures::products());
    assert!(products.contains(",1299.10,USD,true\n"), "{products}");
    assert!(products.contains(",15000,JPY,false\n"), "{products}");
    let rates = export::<FxRates>(&fixtures::fx_rates());
    assert!(rates.contains("EUR,USD,2026-01-02,1.084200\n"), "{rates}");
    let partners = fixtures::partners();
    let csv = export::<Partners>([("0190d0d0-0000-7000-8000-0000000000a1", &partners[0])]);
    assert!(csv.contains(",52.5200,-13.4050,"), "{csv}");
}

#[test]
fn formulas_are_neutralised_on_export_and_restored_on_import() {
    let partners = fixtures::partners();
    let csv = export::<Partners>([("0190d0d0-0000-7000-8000-0000000000a2", &partners[1])]);
    assert!(csv.contains(",\"'=Formula \"\"Quoted\"\" Partner\","), "{csv}");
    let users = export::<Users>(&fixtures::users());
    assert!(users.contains(",'@admin,admin,"), "{users}");
    assert_eq!(fixtures::fields::<Users>(&users)[1].display_name, "@admin");
    let facts = export::<SalesFacts>(&fixtures::sales_facts());
    assert!(facts.contains(",-1,-12.50,EUR,"), "numbers are not escaped: {facts}");
}

#[test]
fn a_streamed_export_equals_the_one_shot_export() {
    let regions = fixtures::regions();
    let mut streamed = CsvExport::<Regions, _>::new(Vec::new()).unwrap();
    for region in &regions {
        streamed.write(region).unwrap();
    }
    assert_eq!(
        String::from_utf8(streamed.finish().unwrap()).unwrap(),
        export::<Regions>(&regions)
    );
    let empty = String::from_utf8(CsvExport::<Verticals, _>::new(Vec::new()).unwrap().finish().unwrap()).unwrap();
    assert_eq!(empty, "code,name\n");
}

#[test]
fn templates_and_docs_come_from_the_columns() {
    assert_eq!(
        template_csv::<FxRates>(),
        "from_currency,to_currency,rate_date,rate\nEUR,USD,2026-01-02,1.0842\n"
    );
    let users = template_csv::<Users>();
    assert_eq!(
        header_of(&users),
        "email,display_name,role,partner_id",
        "export-only columns are not in the template"
    );
    let docs = columns_markdown::<SalesFacts>();
    for column in SalesFacts::COLUMNS {
        assert!(docs.contains(&format!("| `{}` |", column.name)), "{docs}");
    }
    assert!(
        docs.contains("| `created_at` | export only, ignored on import |"),
        "{docs}"
    );
}

#[test]
fn code_list_descriptions_name_every_code() {
    use tributary_domain::account::AccountKind;
    use tributary_domain::partner::{PartnerStatus, PartnerType, SizeBand};
    use tributary_domain::role::Role;

    fn description<K: ImportKind>(column: &str) -> &'static str {
        K::COLUMNS.iter().find(|c| c.name == column).unwrap().description
    }
    let lists: [(&str, Vec<&str>); 5] = [
        (
            description::<Partners>("partner_type"),
            PartnerType::ALL.iter().map(|v| v.as_str()).collect(),
        ),
        (
            description::<Partners>("size_band"),
            SizeBand::ALL.iter().map(|v| v.as_str()).collect(),
        ),
        (
            description::<Partners>("status"),
            PartnerStatus::ALL.iter().map(|v| v.as_str()).collect(),
        ),
        (
            description::<Users>("role"),
            Role::ALL.iter().map(|v| v.as_str()).collect(),
        ),
        (
            description::<Accounts>("kind"),
            AccountKind::ALL.iter().map(|v| v.as_str()).collect(),
        ),
    ];
    for (description, codes) in lists {
        assert!(
            description.contains(&codes.join(", ")),
            "{description} should list {codes:?}"
        );
    }
}
