//! The vendor's price list: ten product families of a network-security vendor, each a ladder
//! of models (FW-100 … FW-7000) in a few variants, with USD list prices that grow with the
//! model and a handful of end-of-life items.

use rand::Rng;
use rust_decimal::Decimal;
use tributary_domain::money::Currency;
use tributary_domain::product::ProductFields;

use crate::random::{Stream, chance, stream};

/// A product family and how it sells.
struct Family {
    name: &'static str,
    sku: &'static str,
    label: &'static str,
    /// Model ladder: SKU part and name part.
    models: &'static [(&'static str, &'static str)],
    /// Variants: SKU suffix, name suffix, price in percent of the base model.
    variants: &'static [(&'static str, &'static str, i64)],
    /// List price of the first model in whole dollars; each model up costs `growth`% more.
    base_dollars: i64,
    growth: i64,
    /// Prices end in .99 rather than .00.
    ends_99: bool,
    /// Largest quantity on one sales line.
    max_quantity: i64,
    /// How often the family sells relative to the others.
    popularity: u64,
}

const LADDER: &[(&str, &str)] = &[
    ("100", "100"),
    ("200", "200"),
    ("400", "400"),
    ("600", "600"),
    ("1000", "1000"),
    ("1500", "1500"),
    ("2000", "2000"),
    ("3000", "3000"),
    ("5000", "5000"),
    ("7000", "7000"),
];
const TERMS: &[(&str, &str, i64)] = &[
    ("-1Y", ", 1 year", 100),
    ("-3Y", ", 3 years", 270),
    ("-5Y", ", 5 years", 420),
];

const FAMILIES: &[Family] = &[
    Family {
        name: "Firewalls",
        sku: "FW",
        label: "Firewall",
        models: LADDER,
        variants: &[("", "", 100), ("-HA", " HA bundle", 185), ("-DC", " DC power", 108)],
        base_dollars: 449,
        growth: 42,
        ends_99: false,
        max_quantity: 6,
        popularity: 12,
    },
    Family {
        name: "Switches",
        sku: "SW",
        label: "Switch",
        models: &[
            ("108", "108 (8-port)"),
            ("116", "116 (16-port)"),
            ("124", "124 (24-port)"),
            ("148", "148 (48-port)"),
            ("224", "224 (24-port, 10G uplinks)"),
            ("248", "248 (48-port, 10G uplinks)"),
            ("324", "324 (24-port 10G)"),
            ("348", "348 (48-port 10G)"),
            ("432", "432 (32-port 40G)"),
            ("532", "532 (32-port 100G)"),
        ],
        variants: &[("", "", 100), ("-POE", " PoE+", 125), ("-FX", " fibre", 140)],
        base_dollars: 199,
        growth: 38,
        ends_99: false,
        max_quantity: 12,
        popularity: 14,
    },
    Family {
        name: "Wireless",
        sku: "AP",
        label: "Access Point",
        models: &[
            ("210", "210"),
            ("220", "220"),
            ("310", "310"),
            ("320", "320"),
            ("410", "410"),
            ("420", "420"),
            ("510", "510 Wi-Fi 6"),
            ("520", "520 Wi-Fi 6"),
            ("610", "610 Wi-Fi 7"),
            ("620", "620 Wi-Fi 7"),
        ],
        variants: &[("", "", 100), ("-OD", " outdoor", 150), ("-5PK", " 5-pack", 460)],
        base_dollars: 149,
        growth: 22,
        ends_99: false,
        max_quantity: 25,
        popularity: 14,
    },
    Family {
        name: "Endpoint Security",
        sku: "EP",
        label: "Endpoint Protection",
        models: &[
            ("BAS", "Basic"),
            ("STD", "Standard"),
            ("PLS", "Plus"),
            ("ADV", "Advanced"),
            ("XDR", "XDR"),
            ("MDR", "Managed Detection & Response"),
            ("SRV", "Server"),
            ("MOB", "Mobile"),
            ("EDU", "Education"),
            ("GOV", "Government"),
        ],
        variants: TERMS,
        base_dollars: 25,
        growth: 18,
        ends_99: true,
        max_quantity: 250,
        popularity: 16,
    },
    Family {
        name: "Cloud Backup",
        sku: "CB",
        label: "Cloud Backup",
        models: &[
            ("100G", "100 GB"),
            ("250G", "250 GB"),
            ("500G", "500 GB"),
            ("1T", "1 TB"),
            ("2T", "2 TB"),
            ("5T", "5 TB"),
            ("10T", "10 TB"),
            ("25T", "25 TB"),
            ("50T", "50 TB"),
            ("100T", "100 TB"),
        ],
        variants: TERMS,
        base_dollars: 99,
        growth: 48,
        ends_99: true,
        max_quantity: 20,
        popularity: 8,
    },
    Family {
        name: "SD-WAN",
        sku: "SDW",
        label: "SD-WAN Edge",
        models: LADDER,
        variants: &[("", "", 100), ("-LTE", " with LTE", 130), ("-HA", " HA pair", 190)],
        base_dollars: 599,
        growth: 40,
        ends_99: false,
        max_quantity: 8,
        popularity: 6,
    },
    Family {
        name: "Licences",
        sku: "LIC",
        label: "Licence",
        models: &[
            ("UTM", "Unified Threat Management"),
            ("ATP", "Advanced Threat Protection"),
            ("WEB", "Web Filtering"),
            ("MGMT", "Cloud Management"),
            ("SDWSEC", "SD-WAN Security"),
            ("ZTNA", "Zero Trust Access"),
            ("CASB", "Cloud Access Security Broker"),
            ("SIEM", "SIEM"),
            ("DLP", "Data Loss Prevention"),
            ("SOAR", "SOAR"),
        ],
        variants: TERMS,
        base_dollars: 80,
        growth: 30,
        ends_99: true,
        max_quantity: 100,
        popularity: 12,
    },
    Family {
        name: "Support",
        sku: "SUP",
        label: "Support",
        models: &[
            ("BAS", "Basic"),
            ("STD", "Standard"),
            ("NBD", "Next Business Day"),
            ("PRM", "Premium"),
            ("4H", "4-Hour Replacement"),
            ("247", "24×7"),
            ("ELT", "Elite"),
            ("ONS", "On-site"),
            ("RMA", "Advance RMA"),
            ("TAM", "Technical Account Manager"),
        ],
        variants: &[("-1Y", ", 1 year", 100), ("-3Y", ", 3 years", 270)],
        base_dollars: 149,
        growth: 38,
        ends_99: false,
        max_quantity: 10,
        popularity: 10,
    },
    Family {
        name: "Services",
        sku: "PS",
        label: "Professional Services",
        models: &[
            ("INST", "Installation"),
            ("CONF", "Configuration"),
            ("MIGR", "Migration"),
            ("AUDT", "Security Audit"),
            ("DSGN", "Network Design"),
            ("HLTH", "Health Check"),
            ("DEPL", "Deployment"),
            ("PM", "Project Management"),
            ("RES", "Resident Engineer"),
            ("CUST", "Custom Engagement"),
        ],
        variants: &[("-REM", " (remote day)", 100), ("-ONS", " (on-site day)", 140)],
        base_dollars: 950,
        growth: 12,
        ends_99: false,
        max_quantity: 20,
        popularity: 4,
    },
    Family {
        name: "Training",
        sku: "TRN",
        label: "Training",
        models: &[
            ("FND", "Foundations"),
            ("ADM", "Administrator"),
            ("ADV", "Advanced Administrator"),
            ("SEC", "Security Analyst"),
            ("NET", "Network Engineer"),
            ("WLS", "Wireless Specialist"),
            ("SDW", "SD-WAN Specialist"),
            ("CLD", "Cloud Specialist"),
            ("EXP", "Expert"),
            ("ARC", "Architect"),
        ],
        variants: &[
            ("-VIRT", " (virtual)", 100),
            ("-CLS", " (classroom)", 150),
            ("-EXAM", " exam voucher", 45),
        ],
        base_dollars: 395,
        growth: 14,
        ends_99: false,
        max_quantity: 12,
        popularity: 4,
    },
];

/// How a product family sells: the largest quantity on one line and its relative popularity.
/// Families not in the catalogue sell like an average hardware line.
pub(crate) fn sales_profile(family: &str) -> (i64, u64) {
    FAMILIES
        .iter()
        .find(|f| f.name == family)
        .map_or((5, 5), |f| (f.max_quantity, f.popularity))
}

/// List price in cents of the `model`-th model in a variant costing `percent`% of the base,
/// jittered by up to ±5% and rounded to whole dollars (minus a cent for .99 families).
fn price_cents(rng: &mut impl Rng, family: &Family, model: usize, percent: i64) -> i64 {
    let mut cents = family.base_dollars * 100;
    for _ in 0..model {
        cents = cents * (100 + family.growth) / 100;
    }
    let jittered = cents * percent / 100 * rng.random_range(95..=105) / 100;
    let dollars = ((jittered + 50) / 100).max(1);
    if family.ends_99 {
        dollars * 100 - 1
    } else {
        dollars * 100
    }
}

/// `count` products, family by family, in SKU ladder order; about 4% are end-of-life.
pub(crate) fn generate(seed: u64, count: usize) -> Vec<(String, ProductFields)> {
    let mut rng = stream(seed, Stream::Products);
    let usd = Currency::parse("USD").expect("USD is an ISO 4217 currency");
    let mut products = Vec::with_capacity(count);
    for (f, family) in FAMILIES.iter().enumerate() {
        let in_family = count / FAMILIES.len() + usize::from(f < count % FAMILIES.len());
        for n in 0..in_family {
            let model = n % family.models.len();
            let variant = n / family.models.len() % family.variants.len();
            let revision = n / (family.models.len() * family.variants.len());
            let (model_sku, model_name) = family.models[model];
            let (variant_sku, variant_name, percent) = family.variants[variant];
            let (revision_sku, revision_name) = if revision == 0 {
                (String::new(), String::new())
            } else {
                (format!("-R{}", revision + 1), format!(" rev. {}", revision + 1))
            };
            let fields = ProductFields {
                sku: format!("{}-{model_sku}{variant_sku}{revision_sku}", family.sku),
                name: format!("{} {model_name}{variant_name}{revision_name}", family.label),
                family: family.name.to_string(),
                list_price: Decimal::new(price_cents(&mut rng, family, model, percent), 2),
                currency: usd,
                active: !chance(&mut rng, 4),
            };
            products.push((crate::random::uuid(&mut rng), fields));
        }
    }
    products
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn skus_are_unique_and_prices_climb_the_ladder() {
        let products = generate(42, 650);
        assert_eq!(products.len(), 650);
        let skus: HashSet<&str> = products.iter().map(|(_, p)| p.sku.as_str()).collect();
        assert_eq!(skus.len(), 650);
        let price = |sku: &str| products.iter().find(|(_, p)| p.sku == sku).unwrap().1.list_price;
        assert!(price("FW-7000") > price("FW-1000"));
        assert!(price("FW-1000") > price("FW-100"));
        assert!(
            products
                .iter()
                .all(|(_, p)| p.list_price > Decimal::ZERO && p.list_price.scale() == 2)
        );
        assert_eq!(sales_profile("Licences"), (100, 12));
    }
}
