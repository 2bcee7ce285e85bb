//! Where the demo vendor does business: the sales regions, the countries in them (with
//! currency, market size, neighbours and local conventions) and real head-office cities
//! with their coordinates in ten-thousandths of a degree (exact, never floating point).

use rust_decimal::Decimal;
use tributary_domain::geography::RegionFields;

/// How street addresses are written in a country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AddressStyle {
    /// "1200 Market Street"
    English,
    /// "Lindenstraße 12" — the street suffix is glued to the name.
    Suffixed(&'static str),
    /// "Via Garibaldi 12", "Calle Mayor 12"
    Prefixed(&'static str),
    /// "12 rue de la Paix"
    French,
    /// "2-3-1 Marunouchi"
    Japanese,
}

/// A country the demo vendor sells in.
#[derive(Debug)]
pub(crate) struct Country {
    pub code: &'static str,
    /// Short English name used in subsidiary names ("Northwind Traders Germany GmbH").
    pub name: &'static str,
    pub region: &'static str,
    /// Payout currency of partners headquartered here.
    pub currency: &'static str,
    /// Relative market size: how many partners and customers are based here.
    pub weight: u64,
    /// Company-form suffix used in local company names.
    pub legal_suffix: &'static str,
    pub address: AddressStyle,
    /// Postal code pattern: `#` a digit, `A` a capital letter, anything else literal.
    pub postal: &'static str,
    /// Countries a partner based here commonly also serves.
    pub neighbours: &'static [&'static str],
}

/// A real city, with latitude and longitude in 1/10,000 degree.
#[derive(Debug)]
pub(crate) struct City {
    pub name: &'static str,
    pub country: &'static str,
    lat: i64,
    lon: i64,
}

impl City {
    pub(crate) fn latitude(&self) -> Decimal {
        Decimal::new(self.lat, 4)
    }

    pub(crate) fn longitude(&self) -> Decimal {
        Decimal::new(self.lon, 4)
    }
}

/// Sales regions: code and display name. Every country belongs to exactly one.
pub(crate) const REGIONS: &[(&str, &str)] = &[
    ("north_america", "North America"),
    ("latam", "Latin America"),
    ("uk_ireland", "EMEA – UK & Ireland"),
    ("dach", "EMEA – DACH"),
    ("nordics", "EMEA – Nordics"),
    ("benelux_france", "EMEA – Benelux & France"),
    ("southern_europe", "EMEA – Southern Europe"),
    ("cee", "EMEA – Central & Eastern Europe"),
    ("mea", "EMEA – Middle East & Africa"),
    ("apac", "Asia Pacific"),
    ("anz", "Australia & New Zealand"),
];

use AddressStyle::{English, French, Japanese, Prefixed, Suffixed};

#[expect(
    clippy::too_many_arguments,
    reason = "one argument per column keeps the table readable"
)]
const fn country(
    code: &'static str,
    name: &'static str,
    region: &'static str,
    currency: &'static str,
    weight: u64,
    legal_suffix: &'static str,
    address: AddressStyle,
    postal: &'static str,
    neighbours: &'static [&'static str],
) -> Country {
    Country {
        code,
        name,
        region,
        currency,
        weight,
        legal_suffix,
        address,
        postal,
        neighbours,
    }
}

pub(crate) const COUNTRIES: &[Country] = &[
    country(
        "US",
        "USA",
        "north_america",
        "USD",
        30,
        "Inc.",
        English,
        "#####",
        &["CA", "MX"],
    ),
    country(
        "CA",
        "Canada",
        "north_america",
        "CAD",
        6,
        "Ltd.",
        English,
        "A#A #A#",
        &["US"],
    ),
    country(
        "MX",
        "Mexico",
        "latam",
        "MXN",
        3,
        "S.A. de C.V.",
        Prefixed("Calle"),
        "#####",
        &["US", "CO"],
    ),
    country(
        "BR",
        "Brasil",
        "latam",
        "BRL",
        4,
        "Ltda.",
        Prefixed("Rua"),
        "#####-###",
        &["AR", "CO", "CL"],
    ),
    country(
        "AR",
        "Argentina",
        "latam",
        "USD",
        1,
        "S.A.",
        Prefixed("Calle"),
        "A####AAA",
        &["BR", "CL"],
    ),
    country(
        "CL",
        "Chile",
        "latam",
        "CLP",
        1,
        "SpA",
        Prefixed("Calle"),
        "#######",
        &["AR"],
    ),
    country(
        "CO",
        "Colombia",
        "latam",
        "USD",
        1,
        "S.A.S.",
        Prefixed("Calle"),
        "######",
        &["MX", "BR"],
    ),
    country("GB", "UK", "uk_ireland", "GBP", 8, "Ltd", English, "AA# #AA", &["IE"]),
    country(
        "IE",
        "Ireland",
        "uk_ireland",
        "EUR",
        2,
        "Limited",
        English,
        "A## A#A#",
        &["GB"],
    ),
    country(
        "DE",
        "Deutschland",
        "dach",
        "EUR",
        9,
        "GmbH",
        Suffixed("straße"),
        "#####",
        &["AT", "CH", "NL", "PL", "CZ"],
    ),
    country(
        "AT",
        "Austria",
        "dach",
        "EUR",
        2,
        "GmbH",
        Suffixed("gasse"),
        "####",
        &["DE", "CH", "CZ"],
    ),
    country(
        "CH",
        "Schweiz",
        "dach",
        "CHF",
        3,
        "AG",
        Suffixed("strasse"),
        "####",
        &["DE", "AT", "FR", "IT"],
    ),
    country(
        "SE",
        "Sverige",
        "nordics",
        "SEK",
        2,
        "AB",
        Suffixed("gatan"),
        "### ##",
        &["NO", "DK", "FI"],
    ),
    country(
        "NO",
        "Norge",
        "nordics",
        "NOK",
        1,
        "AS",
        Suffixed("gata"),
        "####",
        &["SE", "DK"],
    ),
    country(
        "DK",
        "Danmark",
        "nordics",
        "DKK",
        1,
        "A/S",
        Suffixed("gade"),
        "####",
        &["SE", "NO", "DE"],
    ),
    country(
        "FI",
        "Suomi",
        "nordics",
        "EUR",
        1,
        "Oy",
        Suffixed("katu"),
        "#####",
        &["SE"],
    ),
    country(
        "FR",
        "France",
        "benelux_france",
        "EUR",
        6,
        "SAS",
        French,
        "#####",
        &["BE", "LU", "CH"],
    ),
    country(
        "NL",
        "Nederland",
        "benelux_france",
        "EUR",
        3,
        "B.V.",
        Suffixed("straat"),
        "#### AA",
        &["BE", "LU", "DE"],
    ),
    country(
        "BE",
        "Belgium",
        "benelux_france",
        "EUR",
        2,
        "SRL",
        French,
        "####",
        &["NL", "LU", "FR"],
    ),
    country(
        "LU",
        "Luxembourg",
        "benelux_france",
        "EUR",
        1,
        "S.à r.l.",
        French,
        "L-####",
        &["BE", "FR", "DE"],
    ),
    country(
        "ES",
        "España",
        "southern_europe",
        "EUR",
        3,
        "S.L.",
        Prefixed("Calle"),
        "#####",
        &["PT", "FR"],
    ),
    country(
        "IT",
        "Italia",
        "southern_europe",
        "EUR",
        3,
        "S.r.l.",
        Prefixed("Via"),
        "#####",
        &["CH", "AT"],
    ),
    country(
        "PT",
        "Portugal",
        "southern_europe",
        "EUR",
        1,
        "Lda.",
        Prefixed("Rua"),
        "####-###",
        &["ES"],
    ),
    country(
        "PL",
        "Polska",
        "cee",
        "PLN",
        2,
        "Sp. z o.o.",
        Prefixed("ul."),
        "##-###",
        &["DE", "CZ"],
    ),
    country(
        "CZ",
        "Czechia",
        "cee",
        "CZK",
        1,
        "s.r.o.",
        Prefixed("ulice"),
        "### ##",
        &["DE", "AT", "PL"],
    ),
    country("AE", "UAE", "mea", "AED", 2, "LLC", English, "#####", &["SA"]),
    country("SA", "Saudi Arabia", "mea", "SAR", 1, "LLC", English, "#####", &["AE"]),
    country("IL", "Israel", "mea", "ILS", 1, "Ltd.", English, "#######", &[]),
    country("ZA", "South Africa", "mea", "ZAR", 1, "(Pty) Ltd", English, "####", &[]),
    country("JP", "Japan", "apac", "JPY", 5, "K.K.", Japanese, "###-####", &["KR"]),
    country("KR", "Korea", "apac", "KRW", 2, "Co., Ltd.", English, "#####", &["JP"]),
    country(
        "SG",
        "Singapore",
        "apac",
        "SGD",
        2,
        "Pte. Ltd.",
        English,
        "######",
        &["IN"],
    ),
    country("IN", "India", "apac", "INR", 3, "Pvt. Ltd.", English, "######", &["SG"]),
    country("AU", "Australia", "anz", "AUD", 4, "Pty Ltd", English, "####", &["NZ"]),
    country(
        "NZ",
        "New Zealand",
        "anz",
        "NZD",
        1,
        "Limited",
        English,
        "####",
        &["AU"],
    ),
];

const fn city(name: &'static str, country: &'static str, lat: i64, lon: i64) -> City {
    City {
        name,
        country,
        lat,
        lon,
    }
}

pub(crate) const CITIES: &[City] = &[
    city("New York", "US", 407128, -740060),
    city("San Francisco", "US", 377749, -1224194),
    city("Chicago", "US", 418781, -876298),
    city("Austin", "US", 302672, -977431),
    city("Seattle", "US", 476062, -1223321),
    city("Atlanta", "US", 337490, -843880),
    city("Boston", "US", 423601, -710589),
    city("Denver", "US", 397392, -1049903),
    city("Toronto", "CA", 436532, -793832),
    city("Vancouver", "CA", 492827, -1231207),
    city("Montréal", "CA", 455017, -735673),
    city("Mexico City", "MX", 194326, -991332),
    city("Monterrey", "MX", 256866, -1003161),
    city("São Paulo", "BR", -235505, -466333),
    city("Rio de Janeiro", "BR", -229068, -431729),
    city("Buenos Aires", "AR", -346037, -583816),
    city("Santiago", "CL", -334489, -706693),
    city("Bogotá", "CO", 47110, -740721),
    city("London", "GB", 515074, -1278),
    city("Manchester", "GB", 534808, -22426),
    city("Edinburgh", "GB", 559533, -31883),
    city("Birmingham", "GB", 524862, -18904),
    city("Dublin", "IE", 533498, -62603),
    city("Cork", "IE", 518985, -84756),
    city("Berlin", "DE", 525200, 134050),
    city("Munich", "DE", 481351, 115820),
    city("Hamburg", "DE", 535511, 99937),
    city("Frankfurt", "DE", 501109, 86821),
    city("Cologne", "DE", 509375, 69603),
    city("Vienna", "AT", 482082, 163738),
    city("Graz", "AT", 470707, 154395),
    city("Zürich", "CH", 473769, 85417),
    city("Geneva", "CH", 462044, 61432),
    city("Stockholm", "SE", 593293, 180686),
    city("Gothenburg", "SE", 577089, 119746),
    city("Oslo", "NO", 599139, 107522),
    city("Copenhagen", "DK", 556761, 125683),
    city("Helsinki", "FI", 601699, 249384),
    city("Paris", "FR", 488566, 23522),
    city("Lyon", "FR", 457640, 48357),
    city("Toulouse", "FR", 436047, 14442),
    city("Amsterdam", "NL", 523676, 49041),
    city("Rotterdam", "NL", 519244, 44777),
    city("Brussels", "BE", 508503, 43517),
    city("Antwerp", "BE", 512194, 44025),
    city("Luxembourg", "LU", 496116, 61319),
    city("Madrid", "ES", 404168, -37038),
    city("Barcelona", "ES", 413874, 21686),
    city("Milan", "IT", 454642, 91900),
    city("Rome", "IT", 419028, 124964),
    city("Lisbon", "PT", 387223, -91393),
    city("Warsaw", "PL", 522297, 210122),
    city("Kraków", "PL", 500647, 199450),
    city("Prague", "CZ", 500755, 144378),
    city("Dubai", "AE", 252048, 552708),
    city("Riyadh", "SA", 247136, 466753),
    city("Tel Aviv", "IL", 320853, 347818),
    city("Johannesburg", "ZA", -262041, 280473),
    city("Cape Town", "ZA", -339249, 184241),
    city("Tokyo", "JP", 356762, 1396503),
    city("Osaka", "JP", 346937, 1355023),
    city("Seoul", "KR", 375665, 1269780),
    city("Singapore", "SG", 13521, 1038198),
    city("Bengaluru", "IN", 129716, 775946),
    city("Mumbai", "IN", 190760, 728777),
    city("Sydney", "AU", -338688, 1512093),
    city("Melbourne", "AU", -378136, 1449631),
    city("Brisbane", "AU", -274698, 1530251),
    city("Auckland", "NZ", -368485, 1747633),
];

/// The country with ISO code `code` from [`COUNTRIES`].
pub(crate) fn country_by_code(code: &str) -> &'static Country {
    COUNTRIES
        .iter()
        .find(|c| c.code == code)
        .expect("only codes taken from COUNTRIES are looked up")
}

/// The cities of a country (never empty for a country in [`COUNTRIES`]).
pub(crate) fn cities_in(code: &str) -> Vec<&'static City> {
    CITIES.iter().filter(|c| c.country == code).collect()
}

/// The countries of a region.
pub(crate) fn countries_in(region: &str) -> impl Iterator<Item = &'static Country> + '_ {
    COUNTRIES.iter().filter(move |c| c.region == region)
}

/// The region rows handed to the loader.
pub(crate) fn regions() -> Vec<RegionFields> {
    REGIONS
        .iter()
        .map(|(code, name)| RegionFields {
            code: (*code).to_string(),
            name: (*name).to_string(),
            countries: countries_in(code).map(|c| c.code.to_string()).collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use tributary_domain::reference::country_name;

    #[test]
    fn every_country_is_real_has_a_region_and_a_city() {
        let region_codes: HashSet<&str> = REGIONS.iter().map(|(c, _)| *c).collect();
        for country in COUNTRIES {
            assert!(country_name(country.code).is_some(), "{}", country.code);
            assert!(region_codes.contains(country.region), "{}", country.code);
            assert!(!cities_in(country.code).is_empty(), "{} has no city", country.code);
            for n in country.neighbours {
                assert_ne!(*n, country.code);
                let _ = country_by_code(n);
            }
        }
        for region in REGIONS {
            assert!(countries_in(region.0).next().is_some(), "{} is empty", region.0);
        }
    }

    #[test]
    fn cities_are_in_known_countries_with_sane_coordinates() {
        for city in CITIES {
            let _ = country_by_code(city.country);
            assert!(city.latitude().abs() < Decimal::from(90));
            assert!(city.longitude().abs() < Decimal::from(180));
        }
        assert!(CITIES.len() >= 60);
    }
}
