use super::*;

fn account(name: &str, domains: &[&str], country: &str, city: Option<&str>) -> CandidateAccount {
    CandidateAccount {
        name: name.into(),
        domains: domains.iter().map(|d| d.to_string()).collect(),
        country: country.into(),
        city: city.map(str::to_string),
    }
}

fn query(
    name: &str,
    website: Option<&str>,
    email: Option<&str>,
    country: Option<&str>,
    city: Option<&str>,
) -> CustomerQuery {
    CustomerQuery {
        name: name.into(),
        website: website.map(str::to_string),
        email: email.map(str::to_string),
        country: country.map(str::to_string),
        city: city.map(str::to_string),
    }
}

fn points(explanation: &MatchExplanation) -> Vec<(MatchField, u16, i32)> {
    explanation
        .fields
        .iter()
        .map(|f| (f.field, f.agreement, f.weight_points))
        .collect()
}

#[test]
fn everything_agrees() {
    let acme = account("ACME GmbH", &["acme.de", "acme.com"], "DE", Some("Berlin"));
    let e = score(
        &query(
            "Acme AG",
            Some("https://www.acme.com/kontakt"),
            None,
            Some("de"),
            Some("Berlin"),
        ),
        &acme,
    );
    assert_eq!(e.score, 1000);
    assert_eq!(e.points(), 1150);
    assert_eq!(
        points(&e),
        vec![
            (MatchField::Name, 1000, 700),
            (MatchField::Domain, 1000, 300),
            (MatchField::Country, 1000, 50),
            (MatchField::City, 1000, 100),
        ]
    );
    assert_eq!(
        e.summary(),
        "name 'acme' vs 'acme': 1000; domain acme.com = acme.com; country DE = DE; city Berlin = Berlin"
    );
}

#[test]
fn a_namesake_in_another_city() {
    let munich = account("Acme GmbH", &["acme-muenchen.de"], "DE", Some("München"));
    let e = score(
        &query("Acme GmbH", Some("acme.de"), None, Some("DE"), Some("Berlin")),
        &munich,
    );
    assert_eq!(e.score, 350);
    assert_eq!(
        e.summary(),
        "name 'acme' vs 'acme': 1000; domain acme.de ≠ acme-muenchen.de; country DE = DE; city Berlin ≠ München"
    );
    assert_eq!(classify(e.score, MatchThresholds::DEFAULT), MatchClass::Different);
}

#[test]
fn a_namesake_abroad() {
    let paris = account("Acme SAS", &[], "FR", Some("Paris"));
    let e = score(&query("Acme GmbH", None, None, Some("DE"), None), &paris);
    assert_eq!(e.score, 300);
    assert_eq!(
        e.summary(),
        "name 'acme' vs 'acme': 1000; domain not given; country DE ≠ FR; city not given"
    );
}

#[test]
fn typos_exonyms_and_e_mail_domains() {
    let account = account(
        "Müller Logistik GmbH & Co. KG",
        &["mueller-logistik.de"],
        "DE",
        Some("Köln"),
    );
    let e = score(
        &query(
            "Mueller Logistik",
            None,
            Some("einkauf@mueller-logistik.de"),
            Some("DE"),
            Some("Cologne"),
        ),
        &account,
    );
    assert_eq!(e.field(MatchField::Name).unwrap().agreement, 932);
    assert_eq!(
        e.field(MatchField::Name).unwrap().detail,
        "name 'mueller logistik' vs 'muller logistik': 932 (logistik = logistik; mueller ≈ muller)"
    );
    assert_eq!(e.field(MatchField::City).unwrap().detail, "city Cologne = Köln");
    assert_eq!(e.score, 1000);
    assert_eq!(e.points(), 652 + 300 + 50 + 100);
}

#[test]
fn free_mail_is_no_evidence() {
    let acme = account("Acme Ltd", &["acme.co.uk"], "GB", Some("London"));
    let e = score(
        &query(
            "Acme Limited",
            None,
            Some("acme.buyer@gmail.com"),
            Some("GB"),
            Some("London"),
        ),
        &acme,
    );
    assert_eq!(e.field(MatchField::Domain).unwrap().weight_points, 0);
    assert_eq!(
        e.field(MatchField::Domain).unwrap().detail,
        "domain not compared: gmail.com is free mail"
    );
    assert_eq!(e.score, 850);
    let free_account = account("Acme Ltd", &["gmail.com"], "GB", Some("London"));
    let e = score(
        &query("Acme Limited", Some("acme.co.uk"), None, Some("GB"), None),
        &free_account,
    );
    assert_eq!(
        e.field(MatchField::Domain).unwrap().detail,
        "domain not compared: the account has none"
    );
}

#[test]
fn different_domains_and_similar_cities() {
    let acme = account("Acme Robotics Inc.", &["acmerobotics.com"], "US", Some("Pittsburgh"));
    let e = score(
        &query(
            "Acme Robotics",
            Some("acme-robots.io"),
            None,
            Some("US"),
            Some("Pittsburg"),
        ),
        &acme,
    );
    assert_eq!(
        points(&e),
        vec![
            (MatchField::Name, 1000, 700),
            (MatchField::Domain, 0, -250),
            (MatchField::Country, 1000, 50),
            (MatchField::City, 900, 60),
        ]
    );
    assert_eq!(e.score, 560);
    assert_eq!(classify(e.score, MatchThresholds::DEFAULT), MatchClass::Review);
}

#[test]
fn the_score_never_leaves_its_range() {
    let acme = account("Kolbrin", &["kolbrin.fi"], "FI", Some("Espoo"));
    let e = score(
        &query("Varnex", Some("varnex.se"), None, Some("SE"), Some("Malmö")),
        &acme,
    );
    assert_eq!(e.points(), -250 - 400 - 150);
    assert_eq!(e.score, 0);
}

#[test]
fn prepared_scores_equal_the_explanations() {
    let accounts = [
        account("Acme GmbH", &["acme.de"], "DE", Some("Berlin")),
        account("Acme Robotics AG", &[], "CH", None),
        account("Data Soft Systems", &["datasoft.example"], "US", Some("Austin")),
    ];
    let queries = [
        query("Acme", None, None, None, None),
        query(
            "Datasoft Sys",
            Some("www.datasoft.example"),
            None,
            Some("US"),
            Some("austin"),
        ),
        query("ACME ROBOTICS", None, Some("x@acme.de"), Some("ch"), Some("Zürich")),
    ];
    for q in &queries {
        let prepared = PreparedQuery::new(q);
        for a in &accounts {
            let explanation = score(q, a);
            let (value, raw) = score_points(&prepared, &PreparedAccount::new(a));
            assert_eq!((value, raw), (explanation.score, explanation.points()), "{q:?} {a:?}");
        }
    }
}

#[test]
fn thresholds_and_classes() {
    let t = MatchThresholds { auto: 800, review: 500 };
    assert_eq!(classify(800, t), MatchClass::Same);
    assert_eq!(classify(799, t), MatchClass::Review);
    assert_eq!(classify(500, t), MatchClass::Review);
    assert_eq!(classify(499, t), MatchClass::Different);
    assert_eq!(decide(&[], t), MatchClass::Different);
    assert_eq!(decide(&[900], t), MatchClass::Same);
    assert_eq!(decide(&[900, 700], t), MatchClass::Same);
    assert_eq!(decide(&[900, 850], t), MatchClass::Same);
    assert_eq!(decide(&[900, 851], t), MatchClass::Review);
    assert_eq!(decide(&[820, 800], t), MatchClass::Review);
    assert_eq!(decide(&[600, 550], t), MatchClass::Review);
    assert_eq!(decide(&[300, 200], t), MatchClass::Different);
    assert!(t.validate().is_ok());
    assert!(MatchThresholds::DEFAULT.validate().is_ok());
    assert!(MatchThresholds { auto: 500, review: 800 }.validate().is_err());
    assert!(
        MatchThresholds {
            auto: 1001,
            review: 800
        }
        .validate()
        .is_err()
    );
}
