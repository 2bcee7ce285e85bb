//! Forms: the body extractor (multi-value fields such as multi-selects and checkbox groups
//! become lists), the state a form is rendered with (submitted values, each field's error,
//! a message for the whole form) and the choices of selects and checkbox groups.

use std::collections::BTreeMap;

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::page::PageError;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A submitted `application/x-www-form-urlencoded` body; a body that does not fit the
/// expected shape (only possible for hand-made requests) is a 400 page.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for Form<T> {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, PageError> {
        axum_extra::extract::Form::<T>::from_request(request, state)
            .await
            .map(|form| Self(form.0))
            .map_err(|rejection| PageError {
                error: AppError::BadRequest(rejection.body_text()),
                state: state.clone(),
            })
    }
}

/// Splits list entries typed as `;`-separated text ("DE;AT") and drops blanks.
pub fn split_list(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|value| value.split(';'))
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .map(str::to_string)
        .collect()
}

/// The values of a form that shows nothing back (passwords).
pub type Blank = BTreeMap<String, String>;

/// A form as rendered: the values to show, an error per field and a message for the form.
#[derive(Debug, Serialize)]
pub struct FormState<T: Serialize> {
    pub values: T,
    /// Field name → what is wrong with it.
    pub errors: BTreeMap<String, String>,
    pub message: Option<String>,
    /// Prefix of the fields' element ids (several forms on one page stay distinct).
    pub prefix: &'static str,
}

impl<T: Serialize> FormState<T> {
    pub fn new(values: T) -> Self {
        Self {
            values,
            errors: BTreeMap::new(),
            message: None,
            prefix: "f-",
        }
    }

    pub fn prefixed(mut self, prefix: &'static str) -> Self {
        self.prefix = prefix;
        self
    }

    /// The form re-shown after `error`, with the status to send: field errors next to their
    /// fields (422), a conflict or refusal as the form's message (409/403). Any other error
    /// is not the form's to show.
    pub fn failed(values: T, error: AppError) -> AppResult<(StatusCode, Self)> {
        let status = error.status();
        let mut form = Self::new(values);
        match error {
            AppError::Validation(errors) => {
                for found in errors {
                    let field = found.field.rsplit('.').next().unwrap_or(&found.field).to_string();
                    form.errors
                        .entry(field)
                        .and_modify(|message: &mut String| {
                            message.push_str("; ");
                            message.push_str(&found.message);
                        })
                        .or_insert(found.message);
                }
            }
            AppError::Conflict(message) | AppError::Forbidden(message) => form.message = Some(message),
            other => return Err(other),
        }
        Ok((status, form))
    }
}

/// One option of a select or checkbox group.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Options from `(value, label)` pairs, marking those in `selected`.
pub fn choices<V: Into<String>, L: Into<String>>(
    options: impl IntoIterator<Item = (V, L)>,
    selected: &[String],
) -> Vec<Choice> {
    options
        .into_iter()
        .map(|(value, label)| {
            let value = value.into();
            Choice {
                selected: selected.iter().any(|s| s.eq_ignore_ascii_case(&value)),
                label: label.into(),
                value,
            }
        })
        .collect()
}

/// Every ISO 3166 country, by name.
pub fn country_choices(selected: &[String]) -> Vec<Choice> {
    let mut countries: Vec<(&str, &str)> = tributary_domain::reference::countries::COUNTRIES.to_vec();
    countries.sort_by_key(|(_, name)| *name);
    choices(
        countries
            .into_iter()
            .map(|(code, name)| (code, format!("{name} ({code})"))),
        selected,
    )
}

/// Every ISO 4217 currency, by code.
pub fn currency_choices(selected: &[String]) -> Vec<Choice> {
    choices(
        tributary_domain::reference::currencies::CURRENCIES
            .iter()
            .map(|(code, _)| (*code, *code)),
        selected,
    )
}

/// The one selected value of an optional field, as the `selected` list of [`choices`].
pub fn one(value: Option<&str>) -> Vec<String> {
    value.map(str::to_string).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tributary_domain::validation::FieldError;

    #[test]
    fn lists_split_on_semicolons() {
        assert_eq!(
            split_list(&["DE; at".into(), "".into(), "CH".into()]),
            vec!["DE", "at", "CH"]
        );
    }

    #[test]
    fn field_errors_are_keyed_by_their_last_name_part() {
        let error = AppError::Validation(vec![
            FieldError {
                field: "filter.countries".into(),
                message: "'XX' is not a country".into(),
            },
            FieldError {
                field: "filter.countries".into(),
                message: "'YY' is not a country".into(),
            },
        ]);
        let (status, form) = FormState::failed((), error).unwrap();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(form.errors["countries"], "'XX' is not a country; 'YY' is not a country");
        assert!(FormState::failed((), AppError::Internal("x".into())).is_err());
    }
}
