//! Street addresses and postal codes written the way each country writes them, so a
//! partner in Munich lives on a "…straße" and one in Lyon on a "rue …".

use rand::Rng;

use crate::geography::{AddressStyle, Country};
use crate::random::pick;

const ENGLISH_NAMES: &[&str] = &[
    "Market",
    "Station",
    "Church",
    "Mill",
    "River",
    "Lake",
    "Oak",
    "Maple",
    "King",
    "Queen",
    "Park",
    "Bridge",
    "Harbour",
    "Victoria",
    "Elm",
    "Cedar",
    "Highland",
    "Meadow",
    "Commerce",
    "Enterprise",
];
const ENGLISH_TYPES: &[&str] = &["Street", "Road", "Avenue", "Lane", "Drive", "Way", "Boulevard", "Place"];
const GERMANIC_NAMES: &[&str] = &[
    "Linden", "Kirch", "Bahnhof", "Schiller", "Goethe", "Berg", "Wald", "Haupt", "Markt", "Garten", "Mühlen", "Hafen",
    "Ring", "Park", "Rosen", "Eichen",
];
const NORDIC_NAMES: &[&str] = &[
    "Kungs",
    "Drottning",
    "Stor",
    "Skol",
    "Hamn",
    "Kyrko",
    "Sjö",
    "Torg",
    "Nörre",
    "Vester",
    "Mannerheimin",
];
const ROMANCE_NAMES: &[&str] = &[
    "Mayor",
    "Real",
    "Garibaldi",
    "Roma",
    "Augusta",
    "da Liberdade",
    "Verdi",
    "Colón",
    "San Martín",
    "Nuova",
    "do Comércio",
    "de la Reforma",
    "dei Mille",
];
const SLAVIC_NAMES: &[&str] = &[
    "Marszałkowska",
    "Václavská",
    "Długa",
    "Národní",
    "Polna",
    "Krakowska",
    "Husova",
];
const FRENCH_NAMES: &[&str] = &[
    "de la Paix",
    "Victor Hugo",
    "du Commerce",
    "de la République",
    "Lafayette",
    "des Lilas",
    "du Marché",
    "Pasteur",
    "de la Gare",
    "Royale",
];
const JAPANESE_DISTRICTS: &[&str] = &[
    "Marunouchi",
    "Shibuya",
    "Umeda",
    "Roppongi",
    "Shinjuku",
    "Namba",
    "Ginza",
    "Otemachi",
];

/// A head-office street address in the style of `country`.
pub(crate) fn street_address(rng: &mut impl Rng, country: &Country) -> String {
    let number = rng.random_range(1..=250);
    match country.address {
        AddressStyle::English => {
            let number = rng.random_range(1..=40) * 50 + number % 50;
            format!("{number} {} {}", pick(rng, ENGLISH_NAMES), pick(rng, ENGLISH_TYPES))
        }
        AddressStyle::Suffixed(suffix) => {
            let names = if matches!(country.region, "nordics") {
                NORDIC_NAMES
            } else {
                GERMANIC_NAMES
            };
            format!("{}{suffix} {number}", pick(rng, names))
        }
        AddressStyle::Prefixed(prefix) => {
            let names = if matches!(country.region, "cee") {
                SLAVIC_NAMES
            } else {
                ROMANCE_NAMES
            };
            format!("{prefix} {} {number}", pick(rng, names))
        }
        AddressStyle::French => format!("{number} rue {}", pick(rng, FRENCH_NAMES)),
        AddressStyle::Japanese => format!(
            "{}-{}-{} {}",
            rng.random_range(1..=9),
            rng.random_range(1..=20),
            rng.random_range(1..=30),
            pick(rng, JAPANESE_DISTRICTS)
        ),
    }
}

/// A postal code following the country's pattern (`#` digit, `A` capital letter).
pub(crate) fn postal_code(rng: &mut impl Rng, country: &Country) -> String {
    country
        .postal
        .chars()
        .map(|c| match c {
            '#' => char::from(b'0' + rng.random_range(0..10u8)),
            'A' => char::from(b'A' + rng.random_range(0..26u8)),
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geography::{COUNTRIES, country_by_code};
    use crate::random::{Stream, stream};

    #[test]
    fn addresses_follow_local_conventions() {
        let mut rng = stream(1, Stream::Partners);
        assert!(street_address(&mut rng, country_by_code("DE")).contains("straße "));
        assert!(street_address(&mut rng, country_by_code("FR")).contains(" rue "));
        assert!(street_address(&mut rng, country_by_code("IT")).starts_with("Via "));
        let pl = postal_code(&mut rng, country_by_code("PL"));
        assert_eq!(pl.len(), 6);
        assert_eq!(pl.as_bytes()[2], b'-');
        for country in COUNTRIES {
            let code = postal_code(&mut rng, country);
            assert!(!code.is_empty() && code.chars().count() <= 20);
            assert!(street_address(&mut rng, country).chars().count() <= 300);
        }
    }
}
