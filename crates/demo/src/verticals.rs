//! The industries partners specialise in.

use tributary_domain::geography::VerticalFields;

/// Vertical codes and display names.
pub(crate) const VERTICALS: &[(&str, &str)] = &[
    ("healthcare", "Healthcare"),
    ("finance", "Financial services"),
    ("public_sector", "Public sector"),
    ("education", "Education"),
    ("retail", "Retail"),
    ("manufacturing", "Manufacturing"),
    ("energy", "Energy & utilities"),
    ("logistics", "Transport & logistics"),
    ("hospitality", "Hospitality"),
    ("telecom", "Telecommunications"),
    ("professional_services", "Professional services"),
];

/// The vertical rows handed to the loader.
pub(crate) fn verticals() -> Vec<VerticalFields> {
    VERTICALS
        .iter()
        .map(|(code, name)| VerticalFields {
            code: (*code).to_string(),
            name: (*name).to_string(),
        })
        .collect()
}
