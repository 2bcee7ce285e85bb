//! The tier structure form: the structure's settings, its applicability, and four tables of
//! repeated rows (metrics, levels with their benefits, requirements, region overrides).
//! "Add row" clones a `<template>` row in the browser; without script one blank row of each
//! table is always there. The body is read as ordered pairs and each table's columns are
//! zipped into rows; blank rows are ignored. What the user typed is kept as text and shown
//! again with the errors — those of parsing, then those of the structure's validation.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;
use tributary_domain::money::{Currency, parse_decimal};
use tributary_domain::partner::PartnerType;
use tributary_domain::tiering::{
    Aggregation, Applicability, Benefits, Cadence, Comparison, EvaluationRules, Level, MetricDefinition, MetricKind,
    MetricValue, MetricWindow, RegionOverride, Requirement, TierStructure,
};
use tributary_domain::validation::FieldError;
use tributary_store::repo::tier_structures::{StoredStructure, StructureStatus};
use tributary_store::repo::{regions, segments};

use super::super::drafts::editable;
use super::super::form::{FormState, choices, currency_choices, one};
use super::super::page::{Chrome, PageError, PortalCaller, render_status, respond, see_other};
use super::{SECTION, load};
use crate::api::tier_structures::save as save_structure;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::{Access, Resource, authorize};
use crate::state::AppState;

/// A submitted `application/x-www-form-urlencoded` body as ordered pairs (repeated names
/// kept in order), without the CSRF token.
pub struct RawForm(pub Vec<(String, String)>);

impl FromRequest<AppState> for RawForm {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, PageError> {
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| PageError {
                error: AppError::BadRequest(rejection.body_text()),
                state: state.clone(),
            })?;
        Ok(Self(
            form_urlencoded::parse(&bytes)
                .into_owned()
                .filter(|(key, _)| key != "_csrf")
                .collect(),
        ))
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct MetricRow {
    pub key: String,
    pub kind: String,
    pub window: String,
    pub months: String,
    pub first_month: String,
    pub custom_name: String,
    pub aggregation: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct LevelRow {
    pub name: String,
    pub discount: String,
    pub rebate: String,
    pub mdf: String,
    pub priority: String,
    pub tags: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct RequirementRow {
    pub level: String,
    pub metric: String,
    pub comparison: String,
    pub target: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct OverrideRow {
    pub region: String,
    pub level: String,
    pub metric: String,
    pub target: String,
}

/// The form as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StructureForm {
    pub name: String,
    pub currency: String,
    pub cadence: String,
    pub grace: String,
    pub max_demotion_step: String,
    pub valid_from: String,
    pub valid_until: String,
    pub partner_types: Vec<String>,
    pub regions: Vec<String>,
    pub segment_id: String,
    pub metrics: Vec<MetricRow>,
    pub levels: Vec<LevelRow>,
    pub requirements: Vec<RequirementRow>,
    pub overrides: Vec<OverrideRow>,
}

const WINDOW_TRAILING: &str = "trailing_months";
const WINDOW_FISCAL: &str = "fiscal_year_to_date";
const WINDOW_AT_DATE: &str = "at_date";

/// The submitted values of each name, in order (the incentive plan form reads its tables
/// the same way).
pub struct Fields(HashMap<String, Vec<String>>);

impl Fields {
    pub fn of(pairs: &[(String, String)]) -> Self {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for (key, value) in pairs {
            map.entry(key.clone()).or_default().push(value.clone());
        }
        Self(map)
    }

    pub fn one(&self, name: &str) -> String {
        self.0
            .get(name)
            .and_then(|values| values.first())
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .get(name)
            .map(|values| {
                values
                    .iter()
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The rows of a table whose columns are `names`: the i-th value of each.
    pub fn rows(&self, names: &[&str]) -> Vec<Vec<String>> {
        let columns: Vec<&[String]> = names
            .iter()
            .map(|name| self.0.get(*name).map_or(&[][..], Vec::as_slice))
            .collect();
        let count = columns.iter().map(|c| c.len()).max().unwrap_or(0);
        (0..count)
            .map(|i| {
                columns
                    .iter()
                    .map(|c| c.get(i).map(|v| v.trim().to_string()).unwrap_or_default())
                    .collect()
            })
            .collect()
    }
}

/// A target as typed: a number, or yes/no for yes/no metrics.
fn target_text(target: &MetricValue) -> String {
    match target {
        MetricValue::Number(n) => n.normalize().to_string(),
        MetricValue::Flag(true) => "yes".into(),
        MetricValue::Flag(false) => "no".into(),
    }
}

fn parse_target(text: &str) -> Result<MetricValue, String> {
    match text.to_ascii_lowercase().as_str() {
        "" => Err("the target is missing".into()),
        "yes" | "true" => Ok(MetricValue::Flag(true)),
        "no" | "false" => Ok(MetricValue::Flag(false)),
        _ => parse_decimal(text)
            .map(MetricValue::Number)
            .map_err(|_| format!("the target '{text}' is not a number like 500000 or 4.5, nor yes/no")),
    }
}

fn parse_whole(text: &str, what: &str) -> Result<u32, String> {
    text.parse::<u32>()
        .map_err(|_| format!("{what} '{text}' is not a whole number"))
}

fn decimal_or(text: &str, default: Decimal, what: &str) -> Result<Decimal, String> {
    if text.is_empty() {
        Ok(default)
    } else {
        parse_decimal(text).map_err(|_| format!("{what} '{text}' is not a number like 12.5"))
    }
}

impl StructureForm {
    /// A new structure: quarterly, from the first day of this year, with an entry level.
    pub fn starter(today: NaiveDate) -> Self {
        Self {
            currency: "USD".into(),
            cadence: Cadence::Quarterly.as_str().into(),
            grace: "1".into(),
            max_demotion_step: "1".into(),
            valid_from: NaiveDate::from_ymd_opt(today.year(), 1, 1)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            metrics: vec![MetricRow {
                key: "revenue_12m".into(),
                kind: MetricKind::NetRevenue.as_str().into(),
                window: WINDOW_TRAILING.into(),
                months: "12".into(),
                first_month: "1".into(),
                ..Default::default()
            }],
            levels: vec![LevelRow {
                name: "Registered".into(),
                discount: "0".into(),
                rebate: "1".into(),
                mdf: "0".into(),
                priority: "0".into(),
                tags: String::new(),
            }],
            ..Default::default()
        }
    }

    /// The form of a stored structure.
    pub fn of(structure: &TierStructure) -> Self {
        let level_name = |index: usize| {
            structure
                .levels
                .get(index)
                .map_or(index.to_string(), |l| l.name.clone())
        };
        Self {
            name: structure.name.clone(),
            currency: structure.currency.code().into(),
            cadence: structure.cadence.as_str().into(),
            grace: structure.rules.grace.to_string(),
            max_demotion_step: structure.rules.max_demotion_step.to_string(),
            valid_from: structure.valid_from.to_string(),
            valid_until: structure.valid_until.map(|d| d.to_string()).unwrap_or_default(),
            partner_types: structure
                .applicability
                .partner_types
                .iter()
                .map(|t| t.as_str().to_string())
                .collect(),
            regions: structure.applicability.regions.clone(),
            segment_id: structure.applicability.segment_id.clone().unwrap_or_default(),
            metrics: structure
                .metrics
                .iter()
                .map(|m| {
                    let (window, months, first_month) = match m.window {
                        MetricWindow::TrailingMonths(n) => (WINDOW_TRAILING, n.to_string(), "1".to_string()),
                        MetricWindow::FiscalYearToDate { first_month } => {
                            (WINDOW_FISCAL, "12".to_string(), first_month.to_string())
                        }
                        MetricWindow::AtDate => (WINDOW_AT_DATE, "12".to_string(), "1".to_string()),
                    };
                    MetricRow {
                        key: m.key.clone(),
                        kind: m.kind.as_str().into(),
                        window: window.into(),
                        months,
                        first_month,
                        custom_name: m.custom_name.clone().unwrap_or_default(),
                        aggregation: m.aggregation.map(|a| a.as_str().to_string()).unwrap_or_default(),
                    }
                })
                .collect(),
            levels: structure
                .levels
                .iter()
                .enumerate()
                .map(|(i, level)| {
                    let b = structure.benefits.get(i).cloned().unwrap_or_default();
                    LevelRow {
                        name: level.name.clone(),
                        discount: b.discount_percent.normalize().to_string(),
                        rebate: b.rebate_multiplier.normalize().to_string(),
                        mdf: b.mdf_allocation.normalize().to_string(),
                        priority: b.lead_priority.to_string(),
                        tags: b.content_tags.join(", "),
                    }
                })
                .collect(),
            requirements: structure
                .levels
                .iter()
                .flat_map(|level| {
                    level.requirements.iter().map(|r| RequirementRow {
                        level: level.name.clone(),
                        metric: r.metric.clone(),
                        comparison: r.comparison.as_str().into(),
                        target: target_text(&r.target),
                    })
                })
                .collect(),
            overrides: structure
                .region_overrides
                .iter()
                .map(|o| OverrideRow {
                    region: o.region.clone(),
                    level: level_name(o.level),
                    metric: o.metric.clone(),
                    target: target_text(&o.target),
                })
                .collect(),
        }
    }

    /// The form as submitted; rows with nothing in their identifying column are dropped.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let fields = Fields::of(pairs);
        let metric_columns = [
            "metric_key",
            "metric_kind",
            "metric_window",
            "metric_months",
            "metric_first_month",
            "metric_custom_name",
            "metric_aggregation",
        ];
        let level_columns = [
            "level_name",
            "level_discount",
            "level_rebate",
            "level_mdf",
            "level_priority",
            "level_tags",
        ];
        Self {
            name: fields.one("name"),
            currency: fields.one("currency").to_ascii_uppercase(),
            cadence: fields.one("cadence"),
            grace: fields.one("grace"),
            max_demotion_step: fields.one("max_demotion_step"),
            valid_from: fields.one("valid_from"),
            valid_until: fields.one("valid_until"),
            partner_types: fields.all("partner_types"),
            regions: fields.all("regions"),
            segment_id: fields.one("segment_id"),
            metrics: fields
                .rows(&metric_columns)
                .into_iter()
                .filter(|r| !r[0].is_empty())
                .map(|r| MetricRow {
                    key: r[0].clone(),
                    kind: r[1].clone(),
                    window: r[2].clone(),
                    months: r[3].clone(),
                    first_month: r[4].clone(),
                    custom_name: r[5].clone(),
                    aggregation: r[6].clone(),
                })
                .collect(),
            levels: fields
                .rows(&level_columns)
                .into_iter()
                .filter(|r| !r[0].is_empty())
                .map(|r| LevelRow {
                    name: r[0].clone(),
                    discount: r[1].clone(),
                    rebate: r[2].clone(),
                    mdf: r[3].clone(),
                    priority: r[4].clone(),
                    tags: r[5].clone(),
                })
                .collect(),
            requirements: fields
                .rows(&["req_level", "req_metric", "req_comparison", "req_target"])
                .into_iter()
                .filter(|r| !(r[1].is_empty() && r[3].is_empty()))
                .map(|r| RequirementRow {
                    level: r[0].clone(),
                    metric: r[1].clone(),
                    comparison: r[2].clone(),
                    target: r[3].clone(),
                })
                .collect(),
            overrides: fields
                .rows(&["ovr_region", "ovr_level", "ovr_metric", "ovr_target"])
                .into_iter()
                .filter(|r| !r[0].is_empty())
                .map(|r| OverrideRow {
                    region: r[0].clone(),
                    level: r[1].clone(),
                    metric: r[2].clone(),
                    target: r[3].clone(),
                })
                .collect(),
        }
    }

    /// The structure the form describes, or what stops it being read (each error names its
    /// field: the table and the row concerned).
    pub fn parse(&self) -> Result<TierStructure, Vec<FieldError>> {
        let mut errors: Vec<FieldError> = Vec::new();
        let mut add = |field: &str, message: String| {
            errors.push(FieldError {
                field: field.into(),
                message,
            })
        };
        let currency = Currency::parse(&self.currency).map_err(|m| add("currency", m)).ok();
        let cadence = Cadence::parse(&self.cadence).map_err(|m| add("cadence", m)).ok();
        let grace = parse_whole(&self.grace, "the grace").map_err(|m| add("grace", m)).ok();
        let max_demotion_step = parse_whole(&self.max_demotion_step, "the step")
            .map_err(|m| add("max_demotion_step", m))
            .ok();
        let valid_from = tributary_domain::validation::date(&self.valid_from)
            .map_err(|m| add("valid_from", m))
            .ok();
        let valid_until = if self.valid_until.is_empty() {
            None
        } else {
            tributary_domain::validation::date(&self.valid_until)
                .map_err(|m| add("valid_until", m))
                .ok()
        };
        let mut partner_types = Vec::new();
        for text in &self.partner_types {
            match PartnerType::parse(text) {
                Ok(t) => partner_types.push(t),
                Err(m) => add("partner_types", m),
            }
        }

        let mut metrics = Vec::new();
        for row in &self.metrics {
            let place = format!("metric '{}'", row.key);
            let kind = match MetricKind::parse(&row.kind) {
                Ok(kind) => kind,
                Err(m) => {
                    add("metrics", format!("{place}: {m}"));
                    continue;
                }
            };
            let window = match row.window.as_str() {
                WINDOW_TRAILING => parse_whole(&row.months, "months").map(MetricWindow::TrailingMonths),
                WINDOW_FISCAL => parse_whole(&row.first_month, "the first month")
                    .map(|first_month| MetricWindow::FiscalYearToDate { first_month }),
                WINDOW_AT_DATE => Ok(MetricWindow::AtDate),
                other => Err(format!("'{other}' is not a window")),
            };
            let window = match window {
                Ok(window) => window,
                Err(m) => {
                    add("metrics", format!("{place}: {m}"));
                    continue;
                }
            };
            let custom = kind == MetricKind::Custom;
            let aggregation = if custom && !row.aggregation.is_empty() {
                match Aggregation::parse(&row.aggregation) {
                    Ok(a) => Some(a),
                    Err(m) => {
                        add("metrics", format!("{place}: {m}"));
                        continue;
                    }
                }
            } else {
                None
            };
            metrics.push(MetricDefinition {
                key: row.key.clone(),
                kind,
                window,
                custom_name: (custom && !row.custom_name.is_empty()).then(|| row.custom_name.clone()),
                aggregation,
            });
        }

        let mut levels = Vec::new();
        let mut benefits = Vec::new();
        for row in &self.levels {
            let place = format!("level '{}'", row.name);
            let parsed = (|| {
                Ok::<_, String>(Benefits {
                    discount_percent: decimal_or(&row.discount, Decimal::ZERO, "discount")?,
                    rebate_multiplier: decimal_or(&row.rebate, Decimal::ONE, "rebate multiplier")?,
                    mdf_allocation: decimal_or(&row.mdf, Decimal::ZERO, "MDF allocation")?,
                    lead_priority: if row.priority.is_empty() {
                        0
                    } else {
                        parse_whole(&row.priority, "lead priority")?
                    },
                    content_tags: row
                        .tags
                        .split(',')
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_string)
                        .collect(),
                })
            })();
            match parsed {
                Ok(b) => benefits.push(b),
                Err(m) => {
                    add("levels", format!("{place}: {m}"));
                    benefits.push(Benefits::default());
                }
            }
            levels.push(Level {
                name: row.name.clone(),
                requirements: Vec::new(),
            });
        }
        let level_index = |name: &str| self.levels.iter().position(|l| l.name == name);

        for row in &self.requirements {
            let place = format!("level '{}', requirement on '{}'", row.level, row.metric);
            let Some(index) = level_index(&row.level) else {
                add(
                    "requirements",
                    format!("requirement on '{}': choose one of the levels", row.metric),
                );
                continue;
            };
            if row.metric.is_empty() {
                add("requirements", format!("{place}: the metric key is missing"));
                continue;
            }
            let comparison = Comparison::parse(&row.comparison).map_err(|m| format!("{place}: {m}"));
            let target = parse_target(&row.target).map_err(|m| format!("{place}: {m}"));
            match (comparison, target) {
                (Ok(comparison), Ok(target)) => levels[index].requirements.push(Requirement {
                    metric: row.metric.clone(),
                    comparison,
                    target,
                }),
                (comparison, target) => {
                    for m in [comparison.err(), target.err()].into_iter().flatten() {
                        add("requirements", m);
                    }
                }
            }
        }

        let mut region_overrides = Vec::new();
        for row in &self.overrides {
            let place = format!("region '{}'", row.region);
            let Some(level) = level_index(&row.level) else {
                add("region_overrides", format!("{place}: choose one of the levels"));
                continue;
            };
            match parse_target(&row.target) {
                Ok(target) => region_overrides.push(RegionOverride {
                    region: row.region.clone(),
                    level,
                    metric: row.metric.clone(),
                    target,
                }),
                Err(m) => add("region_overrides", format!("{place}: {m}")),
            }
        }

        match (currency, cadence, grace, max_demotion_step, valid_from) {
            (Some(currency), Some(cadence), Some(grace), Some(max_demotion_step), Some(valid_from))
                if errors.is_empty() =>
            {
                Ok(TierStructure {
                    name: self.name.clone(),
                    currency,
                    applicability: Applicability {
                        partner_types,
                        regions: self.regions.clone(),
                        segment_id: (!self.segment_id.is_empty()).then(|| self.segment_id.clone()),
                    },
                    cadence,
                    metrics,
                    levels,
                    benefits,
                    region_overrides,
                    rules: EvaluationRules {
                        grace,
                        max_demotion_step,
                    },
                    valid_from,
                    valid_until,
                })
            }
            _ => Err(errors),
        }
    }
}

/// `(value, label)` options of a select whose selection the template makes per row.
#[derive(Debug, Clone, Serialize)]
struct Opt {
    value: String,
    label: String,
}

fn opts<V: ToString, L: ToString>(items: impl IntoIterator<Item = (V, L)>) -> Vec<Opt> {
    items
        .into_iter()
        .map(|(value, label)| Opt {
            value: value.to_string(),
            label: label.to_string(),
        })
        .collect()
}

/// Renders the create (no `current`) or edit form.
async fn form_page(
    state: &AppState,
    caller: &Caller,
    form: FormState<StructureForm>,
    current: Option<&StoredStructure>,
    status: StatusCode,
) -> AppResult<Response> {
    authorize(caller, Resource::TierPrograms, Access::Write)?;
    let (all_regions, all_segments) = {
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        (regions::list(&mut conn).await?, segments::list(&mut conn).await?)
    };
    let values = &form.values;
    let months = opts((1..=12u32).map(|m| {
        let name = chrono::Month::try_from(m as u8).map_or(m.to_string(), |month| month.name().to_string());
        (m, name)
    }));
    let level_names: Vec<String> = values.levels.iter().map(|l| l.name.clone()).collect();
    let metric_keys: Vec<String> = values.metrics.iter().map(|m| m.key.clone()).collect();
    let error_lists: HashMap<&str, Vec<&str>> = form
        .errors
        .iter()
        .map(|(field, message)| (field.as_str(), message.split("; ").collect()))
        .collect();
    render_status(
        state,
        status,
        "tiers/form.html",
        minijinja::context! {
            chrome => Chrome::of(caller, SECTION),
            structure => current,
            action => current.map_or("/tiers".to_string(), |s| format!("/tiers/{}", s.id)),
            currencies => currency_choices(&one(Some(&values.currency))),
            cadences => choices(Cadence::ALL.iter().map(|c| (c.as_str(), c.label())), &one(Some(&values.cadence))),
            types => choices(PartnerType::ALL.iter().map(|t| (t.as_str(), t.label())), &values.partner_types),
            regions => choices(all_regions.iter().map(|r| (r.code.clone(), format!("{} ({})", r.name, r.code))), &values.regions),
            region_options => opts(all_regions.iter().map(|r| (r.code.clone(), format!("{} ({})", r.name, r.code)))),
            segments => choices(all_segments.into_iter().map(|s| (s.id, s.fields.name)), &one(Some(&values.segment_id))),
            kinds => opts(MetricKind::ALL.iter().map(|k| (k.as_str(), k.label()))),
            windows => opts([
                (WINDOW_TRAILING, "Trailing months"),
                (WINDOW_FISCAL, "Fiscal year to date"),
                (WINDOW_AT_DATE, "On the evaluation date"),
            ]),
            aggregations => opts(Aggregation::ALL.iter().map(|a| (a.as_str(), a.label()))),
            comparisons => opts(Comparison::ALL.iter().map(|c| (c.as_str(), format!("{} ({})", super::symbol(*c), c.label())))),
            months, level_names, metric_keys, error_lists, form,
        },
    )
}

/// Saves the form as a new draft (`current` absent) or into the draft `current`.
async fn save(
    state: &AppState,
    caller: &Caller,
    current: Option<&StoredStructure>,
    pairs: &[(String, String)],
) -> AppResult<Response> {
    authorize(caller, Resource::TierPrograms, Access::Write)?;
    let form = StructureForm::from_pairs(pairs);
    let result = match form.parse() {
        Ok(structure) => save_structure(state, caller, current.map(|s| s.id.as_str()), &structure).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match result {
        Ok(saved) => see_other(&format!("/tiers/{}", saved.id)),
        Err(error) => {
            let (status, form) = FormState::failed(form, error)?;
            form_page(state, caller, form, current, status).await
        }
    }
}

pub async fn new(State(state): State<AppState>, PortalCaller(caller): PortalCaller) -> Result<Response, PageError> {
    respond(&state, async {
        let form = FormState::new(StructureForm::starter(super::today()));
        form_page(&state, &caller, form, None, StatusCode::OK).await
    })
    .await
}

pub async fn create(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    RawForm(pairs): RawForm,
) -> Result<Response, PageError> {
    respond(&state, save(&state, &caller, None, &pairs)).await
}

/// The draft `id`; a published structure is edited through a draft copy.
async fn draft(state: &AppState, caller: &Caller, id: &str) -> AppResult<StoredStructure> {
    let structure = load(state, caller, id).await?;
    let is_draft = structure.status == StructureStatus::Draft;
    editable(structure, is_draft, "structure")
}

pub async fn edit(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let structure = draft(&state, &caller, &id).await?;
        let form = FormState::new(StructureForm::of(&structure.definition));
        form_page(&state, &caller, form, Some(&structure), StatusCode::OK).await
    })
    .await
}

pub async fn update(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    RawForm(pairs): RawForm,
) -> Result<Response, PageError> {
    respond(&state, async {
        let structure = draft(&state, &caller, &id).await?;
        save(&state, &caller, Some(&structure), &pairs).await
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn submitted() -> Vec<(String, String)> {
        pairs(&[
            ("name", "Partner program"),
            ("currency", "usd"),
            ("cadence", "quarterly"),
            ("grace", "1"),
            ("max_demotion_step", "1"),
            ("valid_from", "2026-01-01"),
            ("valid_until", ""),
            ("partner_types", "reseller"),
            ("segment_id", ""),
            ("metric_key", "revenue_12m"),
            ("metric_kind", "net_revenue"),
            ("metric_window", "trailing_months"),
            ("metric_months", "12"),
            ("metric_first_month", "1"),
            ("metric_custom_name", ""),
            ("metric_aggregation", "sum"),
            ("metric_key", "certified"),
            ("metric_kind", "certified_people"),
            ("metric_window", "at_date"),
            ("metric_months", "12"),
            ("metric_first_month", "1"),
            ("metric_custom_name", ""),
            ("metric_aggregation", ""),
            ("metric_key", ""),
            ("metric_kind", "net_revenue"),
            ("metric_window", "trailing_months"),
            ("metric_months", "12"),
            ("metric_first_month", "1"),
            ("metric_custom_name", ""),
            ("metric_aggregation", ""),
            ("level_name", "Registered"),
            ("level_discount", ""),
            ("level_rebate", ""),
            ("level_mdf", ""),
            ("level_priority", ""),
            ("level_tags", ""),
            ("level_name", "Gold"),
            ("level_discount", "10"),
            ("level_rebate", "1.5"),
            ("level_mdf", "5000"),
            ("level_priority", "2"),
            ("level_tags", "gold, playbooks ,"),
            ("level_name", ""),
            ("level_discount", ""),
            ("level_rebate", ""),
            ("level_mdf", ""),
            ("level_priority", ""),
            ("level_tags", ""),
            ("req_level", "Gold"),
            ("req_metric", "revenue_12m"),
            ("req_comparison", ">="),
            ("req_target", "500000"),
            ("req_level", "Gold"),
            ("req_metric", "certified"),
            ("req_comparison", ">="),
            ("req_target", "5"),
            ("req_level", "Registered"),
            ("req_metric", ""),
            ("req_comparison", ">="),
            ("req_target", ""),
            ("ovr_region", "latam"),
            ("ovr_level", "Gold"),
            ("ovr_metric", "revenue_12m"),
            ("ovr_target", "250000"),
            ("ovr_region", ""),
            ("ovr_level", "Registered"),
            ("ovr_metric", ""),
            ("ovr_target", ""),
        ])
    }

    #[test]
    fn repeated_fields_become_rows_and_blank_rows_are_ignored() {
        let form = StructureForm::from_pairs(&submitted());
        assert_eq!(form.metrics.len(), 2);
        assert_eq!(form.levels.len(), 2);
        assert_eq!(form.requirements.len(), 2);
        assert_eq!(form.overrides.len(), 1);
        let structure = form.parse().unwrap();
        assert_eq!(structure.currency.code(), "USD");
        assert_eq!(structure.applicability.partner_types, vec![PartnerType::Reseller]);
        assert_eq!(
            structure.metrics[0].aggregation, None,
            "only custom metrics keep an aggregation"
        );
        assert_eq!(structure.metrics[1].window, MetricWindow::AtDate);
        assert_eq!(structure.levels[1].requirements.len(), 2);
        assert_eq!(structure.benefits[0].rebate_multiplier, Decimal::ONE);
        assert_eq!(structure.benefits[1].mdf_allocation, dec!(5000));
        assert_eq!(structure.benefits[1].content_tags, vec!["gold", "playbooks"]);
        assert_eq!(structure.region_overrides[0].level, 1);
        assert!(structure.validate().is_ok());
        // The form of the parsed structure reads back the same structure.
        assert_eq!(StructureForm::of(&structure).parse().unwrap(), structure);
    }

    #[test]
    fn unreadable_values_name_their_row() {
        let mut items = submitted();
        for (key, value) in items.iter_mut() {
            if key == "req_target" && value == "5" {
                *value = "five".into();
            }
            if key == "level_discount" && value == "10" {
                *value = "ten".into();
            }
            if key == "ovr_level" && value == "Gold" {
                *value = "Platinum".into();
            }
        }
        let errors = StructureForm::from_pairs(&items).parse().unwrap_err();
        let text: Vec<String> = errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
        assert!(
            text.iter().any(
                |m| m.starts_with("requirements: level 'Gold', requirement on 'certified'") && m.contains("'five'")
            ),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|m| m.starts_with("levels: level 'Gold': discount 'ten'")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|m| m.starts_with("region_overrides: region 'latam'")),
            "{text:?}"
        );
    }
}
