//! Standard code lists (ISO 3166 countries, ISO 4217 currencies) compiled into the binary,
//! so validation never depends on a network look-up.

pub mod countries;
pub mod currencies;

/// The English short name of an ISO 3166-1 alpha-2 country code, if the code exists.
pub fn country_name(code: &str) -> Option<&'static str> {
    countries::COUNTRIES
        .binary_search_by(|(c, _)| (*c).cmp(code))
        .ok()
        .map(|i| countries::COUNTRIES[i].1)
}

/// The number of minor-unit digits of an ISO 4217 currency code, if the code exists.
pub fn currency_minor_units(code: &str) -> Option<u32> {
    currencies::CURRENCIES
        .binary_search_by(|(c, _)| (*c).cmp(code))
        .ok()
        .map(|i| currencies::CURRENCIES[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_for_binary_search() {
        assert!(countries::COUNTRIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(currencies::CURRENCIES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn known_codes_resolve() {
        assert_eq!(country_name("DE"), Some("Germany"));
        assert_eq!(country_name("XX"), None);
        assert_eq!(currency_minor_units("JPY"), Some(0));
        assert_eq!(currency_minor_units("EUR"), Some(2));
        assert_eq!(currency_minor_units("KWD"), Some(3));
        assert_eq!(currency_minor_units("ABC"), None);
    }
}
