//! City names for matching: folded, punctuation to spaces, "St."/"Sankt" as "saint", and
//! the usual exonyms read as one city ("München", "Muenchen" and "Munich"; "Köln" and
//! "Cologne"; "Frankfurt am Main" and "Frankfurt").

use std::sync::LazyLock;

use super::fold::fold;
use super::similarity::within_one_edit;
use super::tables::WordMap;

/// Local names, exonyms and common spellings → one name.
const CITY_NAMES: &[(&str, &str)] = &[
    ("munchen", "munich"),
    ("muenchen", "munich"),
    ("koln", "cologne"),
    ("koeln", "cologne"),
    ("wien", "vienna"),
    ("nurnberg", "nuremberg"),
    ("nuernberg", "nuremberg"),
    ("hannover", "hanover"),
    ("frankfurt am main", "frankfurt"),
    ("frankfurt a m", "frankfurt"),
    ("dusseldorf", "duesseldorf"),
    ("zurich", "zuerich"),
    ("geneve", "geneva"),
    ("genf", "geneva"),
    ("luzern", "lucerne"),
    ("bale", "basel"),
    ("milano", "milan"),
    ("roma", "rome"),
    ("torino", "turin"),
    ("firenze", "florence"),
    ("napoli", "naples"),
    ("venezia", "venice"),
    ("genova", "genoa"),
    ("lisboa", "lisbon"),
    ("sevilla", "seville"),
    ("praha", "prague"),
    ("warszawa", "warsaw"),
    ("cracow", "krakow"),
    ("kobenhavn", "copenhagen"),
    ("goteborg", "gothenburg"),
    ("bruxelles", "brussels"),
    ("brussel", "brussels"),
    ("antwerpen", "antwerp"),
    ("anvers", "antwerp"),
    ("den haag", "the hague"),
    ("s gravenhage", "the hague"),
    ("athina", "athens"),
    ("moskva", "moscow"),
    ("москва", "moscow"),
    ("saint peterburg", "saint petersburg"),
    ("bucuresti", "bucharest"),
    ("beograd", "belgrade"),
    ("marseilles", "marseille"),
    ("lyons", "lyon"),
    ("ciudad de mexico", "mexico city"),
    ("cdmx", "mexico city"),
    ("new york city", "new york"),
    ("nyc", "new york"),
    ("tokio", "tokyo"),
    ("peking", "beijing"),
    ("bombay", "mumbai"),
    ("calcutta", "kolkata"),
    ("madras", "chennai"),
    ("bangalore", "bengaluru"),
    ("saigon", "ho chi minh city"),
    ("sao paulo", "sao paulo"),
];

static CITY_MAP: LazyLock<WordMap> = LazyLock::new(|| CITY_NAMES.iter().copied().collect());

/// The city name as compared: folded, words separated by single spaces, known exonyms and
/// spellings replaced by one name.
pub fn normalize_city(city: &str) -> String {
    let folded = fold(city);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            "st" | "sankt" => "saint",
            "ste" => "sainte",
            other => other,
        })
        .collect();
    let joined = words.join(" ");
    match CITY_MAP.get(joined.as_str()) {
        Some(name) => (*name).to_string(),
        None => joined,
    }
}

/// How two normalised city names compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CityAgreement {
    /// The same name, or one is the other with more words ("hamburg" / "hamburg altona").
    Same,
    /// One typing slip apart ("dusseldorf" / "dusseldrof"), both at least five letters.
    Similar,
    Different,
}

/// Compares two cities normalised with [`normalize_city`].
pub fn compare_cities(a: &str, b: &str) -> CityAgreement {
    if a == b {
        return CityAgreement::Same;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if !short.is_empty() && long.starts_with(short) && long.as_bytes()[short.len()] == b' ' {
        return CityAgreement::Same;
    }
    if short.chars().count() >= 5 && within_one_edit(a, b) {
        return CityAgreement::Similar;
    }
    CityAgreement::Different
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exonyms_and_spellings() {
        assert_eq!(normalize_city("München"), "munich");
        assert_eq!(normalize_city("Muenchen"), "munich");
        assert_eq!(normalize_city("MUNICH"), "munich");
        assert_eq!(normalize_city("Köln"), "cologne");
        assert_eq!(normalize_city("Frankfurt am Main"), "frankfurt");
        assert_eq!(normalize_city("St. Gallen"), "saint gallen");
        assert_eq!(normalize_city("Sankt Gallen"), "saint gallen");
        assert_eq!(normalize_city("  São   Paulo "), "sao paulo");
        assert_eq!(normalize_city("Zürich"), "zuerich");
        assert_eq!(normalize_city("Zuerich"), "zuerich");
    }

    #[test]
    fn comparisons() {
        assert_eq!(compare_cities("berlin", "berlin"), CityAgreement::Same);
        assert_eq!(compare_cities("new york", "new york"), CityAgreement::Same);
        assert_eq!(compare_cities("hamburg", "hamburg altona"), CityAgreement::Same);
        assert_eq!(compare_cities("duesseldorf", "duesseldrof"), CityAgreement::Similar);
        assert_eq!(compare_cities("berlin", "munich"), CityAgreement::Different);
        assert_eq!(compare_cities("new york", "new delhi"), CityAgreement::Different);
        assert_eq!(compare_cities("bern", "berlin"), CityAgreement::Different);
        assert_eq!(compare_cities("rome", "rime"), CityAgreement::Different);
    }
}
