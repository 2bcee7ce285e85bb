//! Names: word lists for partner and customer companies and for people, plus the rules that
//! keep generated names unique and turn them into valid internet domains.

use std::collections::HashSet;

use rand::Rng;
use tributary_domain::partner::PartnerType;

use crate::random::pick;

const PARTNER_PREFIXES: &[&str] = &[
    "Bluepeak",
    "Northgate",
    "Ironbridge",
    "Silverline",
    "Cobalt",
    "Redwood",
    "Summit",
    "Keystone",
    "Brightwave",
    "Clearpath",
    "Nimbus",
    "Vertex",
    "Harborview",
    "Granite",
    "Beacon",
    "Cascade",
    "Falcon",
    "Orbital",
    "Pinnacle",
    "Quantum",
    "Sterling",
    "Trident",
    "Zenith",
    "Atlas",
    "Boreal",
    "Citadel",
    "Deltaform",
    "Evergreen",
    "Fjordline",
    "Helix",
    "Lumen",
    "Meridian",
    "Novaris",
    "Onyx",
    "Polaris",
    "Radiant",
    "Sapphire",
    "Tidewater",
    "Unity",
    "Vantage",
    "Westbrook",
    "Alpine",
    "Bastion",
    "Crestline",
    "Driftwood",
    "Emberly",
    "Foxglove",
    "Glacier",
    "Highland",
    "Ivorygate",
    "Juniper",
    "Kestrel",
    "Lighthouse",
    "Mosaic",
    "Northstar",
    "Oakridge",
    "Peregrine",
    "Quarry",
    "Riverbend",
    "Stonebridge",
    "Thornbury",
    "Upland",
    "Valiant",
    "Wavecrest",
    "Yellowpine",
    "Aegis",
    "Blackrock",
    "Copperleaf",
    "Dovetail",
    "Elmstead",
];
const RESELLER_WORDS: &[&str] = &[
    "Networks",
    "IT Solutions",
    "Systems",
    "Technologies",
    "Computing",
    "Digital",
    "Tech",
    "Infotech",
    "Data",
    "Connect",
    "Secure IT",
];
const DISTRIBUTOR_WORDS: &[&str] = &[
    "Distribution",
    "Supply",
    "Trade",
    "Wholesale",
    "Channel Group",
    "Logistics IT",
];
const MSP_WORDS: &[&str] = &[
    "Managed Services",
    "Cloud Services",
    "IT Services",
    "Secure Ops",
    "Cloudworks",
    "Managed IT",
];
const INTEGRATOR_WORDS: &[&str] = &[
    "Consulting",
    "Integration",
    "Solutions Group",
    "Engineering",
    "Partners",
    "Architects",
];
const REFERRAL_WORDS: &[&str] = &["Advisors", "Advisory", "Associates", "Group", "Ventures"];

const COMPANY_BRANDS: &[&str] = &[
    "Northwind",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Acme",
    "Contoso",
    "Fabrikam",
    "Tailspin",
    "Wingtip",
    "Adventure",
    "Litware",
    "Proseware",
    "Lucerne",
    "Margie",
    "Alpine Ski",
    "Blue Yonder",
    "Coho",
    "Fourth Coffee",
    "Graphic",
    "Humongous",
    "Nod",
    "Woodgrove",
    "Trey",
    "Southridge",
    "Consolidated",
    "Vandelay",
    "Hooli",
    "Pied Piper",
    "Soylent",
    "Tyrell",
    "Wonka",
    "Gringotts",
    "Oscorp",
    "Cyberdyne",
    "Massive",
    "Dunder",
    "Sterling Cooper",
    "Bluth",
    "Krusty",
    "Monarch",
    "Nakatomi",
    "Oceanic",
    "Paper Street",
    "Rekall",
    "Sirius",
    "Virtucon",
    "Weyland",
    "Zorg",
    "Aperture",
    "Black Mesa",
    "Gekko",
    "Ollivander",
    "Prestige",
    "Quartermaster",
    "Rich",
    "Spacely",
    "Tessier",
    "Upton",
    "Vector",
    "Wolfram",
    "Yoyodyne",
    "Zenco",
    "Amber",
    "Birchwood",
    "Cobblestone",
    "Dunmore",
    "Eastfield",
    "Fairview",
    "Greenway",
    "Hillcrest",
    "Ironwood",
    "Jadeport",
    "Kingsley",
    "Lakeshore",
    "Millbrook",
    "Newhaven",
    "Oldbridge",
    "Parkside",
    "Queensway",
    "Rosedale",
    "Seaview",
    "Thornfield",
    "Upfield",
    "Valleyside",
    "Whitmore",
    "Yardley",
    "Ashford",
    "Bramble",
    "Castlerock",
    "Dalton",
    "Everly",
    "Fennimore",
    "Goldcrest",
    "Hartwell",
    "Inglewood",
    "Jasper",
    "Kensington",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Rossi",
    "Schneider",
    "Tanaka",
    "Uribe",
    "Vasquez",
    "Whitaker",
    "Yamada",
    "Zimmer",
];
const COMPANY_TRADES: &[&str] = &[
    "Traders",
    "Logistics",
    "Health",
    "Foods",
    "Manufacturing",
    "Bank",
    "Insurance",
    "Pharma",
    "Energy",
    "Motors",
    "Retail",
    "Hotels",
    "Airlines",
    "Shipping",
    "Foundry",
    "Textiles",
    "Labs",
    "Clinic",
    "Hospital Group",
    "Dental",
    "Capital",
    "Holdings",
    "Industries",
    "Engineering",
    "Construction",
    "Properties",
    "Media",
    "Publishing",
    "Telecom",
    "Utilities",
    "Water",
    "Steel",
    "Chemicals",
    "Plastics",
    "Packaging",
    "Furniture",
    "Apparel",
    "Outfitters",
    "Grocers",
    "Bakeries",
    "Breweries",
    "Wines",
    "Farms",
    "Dairy",
    "Seafood",
    "Pharmacy",
    "Veterinary",
    "Schools",
    "College",
    "Academy",
    "Research",
    "Biotech",
    "Diagnostics",
    "Robotics",
    "Aerospace",
    "Marine",
    "Rail",
    "Freight",
    "Couriers",
    "Security",
    "Cleaning",
    "Staffing",
    "Consulting",
    "Accountants",
    "Law Group",
    "Architects",
    "Studios",
    "Games",
    "Entertainment",
    "Sports",
    "Fitness",
    "Resorts",
    "Travel",
    "Automotive",
    "Tools",
    "Electric",
    "Solar",
    "Mining",
    "Timber",
    "Paper",
    "Printing",
    "Optics",
    "Instruments",
    "Semiconductors",
    "Software",
    "Payments",
    "Credit Union",
    "Mutual",
    "Savings",
    "Leasing",
    "Realty",
];

const FIRST_NAMES: &[&str] = &[
    "Ava",
    "Liam",
    "Sofia",
    "Noah",
    "Emma",
    "Lucas",
    "Mia",
    "Mateo",
    "Hannah",
    "Jonas",
    "Chloé",
    "Hugo",
    "Giulia",
    "Marco",
    "Lucía",
    "Diego",
    "Aoife",
    "Sean",
    "Ingrid",
    "Lars",
    "Aiko",
    "Haruto",
    "Priya",
    "Arjun",
    "Ji-woo",
    "Min-jun",
    "Olivia",
    "Ethan",
    "Zara",
    "Omar",
    "Fatima",
    "Yusuf",
    "Amara",
    "Kofi",
    "Isabela",
    "João",
    "Maja",
    "Piotr",
    "Eva",
    "Tomáš",
    "Grace",
    "Oliver",
    "Charlotte",
    "Leon",
    "Elena",
    "Ravi",
    "Mei",
    "Chen",
];
const LAST_NAMES: &[&str] = &[
    "Smith",
    "Johnson",
    "García",
    "Müller",
    "Schmidt",
    "Rossi",
    "Bianchi",
    "Dubois",
    "Martin",
    "Silva",
    "Santos",
    "O'Brien",
    "Murphy",
    "Andersson",
    "Johansson",
    "Nielsen",
    "Virtanen",
    "Tanaka",
    "Suzuki",
    "Sato",
    "Patel",
    "Sharma",
    "Kim",
    "Park",
    "Lee",
    "Nguyen",
    "Haddad",
    "Cohen",
    "Mensah",
    "Okafor",
    "Kowalski",
    "Nowak",
    "Novák",
    "Dvořák",
    "Williams",
    "Brown",
    "Taylor",
    "Wilson",
    "Fischer",
    "Weber",
    "López",
    "Fernández",
    "Moreau",
    "Lefebvre",
    "de Vries",
    "Jansen",
    "Peeters",
    "Costa",
];

/// The words partner names of a type end in ("Networks", "Distribution", …).
fn partner_words(partner_type: PartnerType) -> &'static [&'static str] {
    match partner_type {
        PartnerType::Reseller => RESELLER_WORDS,
        PartnerType::Distributor => DISTRIBUTOR_WORDS,
        PartnerType::Msp => MSP_WORDS,
        PartnerType::SystemIntegrator => INTEGRATOR_WORDS,
        PartnerType::Referral => REFERRAL_WORDS,
    }
}

/// The distinctive part of a partner's name ("Cobalt Networks"); after a few draws the city
/// is added ("Cobalt Networks Lyon") to stay unique among many partners.
pub(crate) fn partner_core(rng: &mut impl Rng, partner_type: PartnerType, city: &str, attempt: u32) -> String {
    let core = format!(
        "{} {}",
        pick(rng, PARTNER_PREFIXES),
        pick(rng, partner_words(partner_type))
    );
    if attempt < 12 { core } else { format!("{core} {city}") }
}

/// The distinctive part of a customer's name ("Northwind Traders"); after a few draws a
/// second brand word is added ("Northwind Hillcrest Traders").
pub(crate) fn company_core(rng: &mut impl Rng, attempt: u32) -> String {
    let brand = pick(rng, COMPANY_BRANDS);
    let trade = pick(rng, COMPANY_TRADES);
    if attempt < 12 {
        format!("{brand} {trade}")
    } else {
        format!("{brand} {} {trade}", pick(rng, COMPANY_BRANDS))
    }
}

/// A person's display name.
pub(crate) fn person(rng: &mut impl Rng) -> String {
    format!("{} {}", pick(rng, FIRST_NAMES), pick(rng, LAST_NAMES))
}

/// Draws candidates with `draw(attempt)` until one is not yet in `taken`, records and returns
/// it; after 24 collisions numbered variants of the last candidate ("… 2") are used.
pub(crate) fn unique(taken: &mut HashSet<String>, mut draw: impl FnMut(u32) -> String) -> String {
    let mut last = String::new();
    for attempt in 0..24 {
        let candidate = draw(attempt);
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        last = candidate;
    }
    (2u64..)
        .map(|n| format!("{last} {n}"))
        .find(|candidate| taken.insert(candidate.clone()))
        .expect("a finite set leaves some numbered variant free")
}

/// A free domain `<slug of name>.example` (`-2`, `-3` … appended when taken), recorded in `taken`.
pub(crate) fn unique_domain(taken: &mut HashSet<String>, name: &str, parent: Option<&str>) -> String {
    let label = slug(name);
    let suffix = parent.unwrap_or("example");
    (1u64..)
        .map(|n| {
            if n == 1 {
                format!("{label}.{suffix}")
            } else {
                format!("{label}-{n}.{suffix}")
            }
        })
        .find(|candidate| taken.insert(candidate.clone()))
        .expect("a finite set leaves some numbered domain free")
}

/// A DNS label from free text: ASCII letters and digits joined by single hyphens, accents
/// folded ("Zürich" → "zurich"), at most 50 characters.
pub(crate) fn slug(text: &str) -> String {
    let mut label = String::new();
    for c in text.chars().flat_map(fold) {
        if c.is_ascii_alphanumeric() {
            label.push(c.to_ascii_lowercase());
        } else if !label.is_empty() && !label.ends_with('-') {
            label.push('-');
        }
    }
    label.truncate(50);
    let label = label.trim_end_matches('-');
    if label.is_empty() {
        "company".to_string()
    } else {
        label.to_string()
    }
}

/// The ASCII spelling of a character (`None` drops it, like an apostrophe).
fn fold(c: char) -> Option<char> {
    let folded = match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ą' => 'a',
        'ç' | 'č' | 'ć' => 'c',
        'é' | 'è' | 'ê' | 'ë' | 'ę' | 'ě' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ñ' | 'ń' => 'n',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'ů' => 'u',
        'š' | 'ś' => 's',
        'ž' | 'ź' | 'ż' => 'z',
        'ł' => 'l',
        'ř' => 'r',
        'ß' => 's',
        '\'' | '’' | '.' => return None,
        other => other,
    };
    Some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::{Stream, stream};
    use tributary_domain::validation::domain;

    #[test]
    fn slugs_make_valid_domains() {
        assert_eq!(slug("Zürich Networks GmbH"), "zurich-networks-gmbh");
        assert_eq!(slug("O'Brien & Sons"), "obrien-sons");
        assert_eq!(slug("!!!"), "company");
        let mut taken = HashSet::new();
        let first = unique_domain(&mut taken, "Cobalt Networks", None);
        let second = unique_domain(&mut taken, "Cobalt  Networks", None);
        assert_eq!(first, "cobalt-networks.example");
        assert_eq!(second, "cobalt-networks-2.example");
        assert_eq!(
            unique_domain(&mut taken, "de", Some(&first)),
            "de.cobalt-networks.example"
        );
        for d in &taken {
            assert_eq!(domain(d).as_deref(), Ok(d.as_str()));
        }
    }

    #[test]
    fn unique_never_repeats() {
        let mut rng = stream(5, Stream::Partners);
        let mut taken = HashSet::new();
        let names: Vec<String> = (0..3000)
            .map(|_| {
                unique(&mut taken, |attempt| {
                    partner_core(&mut rng, PartnerType::Referral, "Oslo", attempt)
                })
            })
            .collect();
        assert_eq!(names.iter().collect::<HashSet<_>>().len(), names.len());
    }
}
