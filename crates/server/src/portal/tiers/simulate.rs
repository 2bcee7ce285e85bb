//! The what-if sandbox: a draft simulated against the same metrics as the structure it was
//! copied from — partners per level now and under the draft (a grouped bar chart), the
//! from×to transition matrix, the movers with the requirement results that explain each
//! move (filtered up or down, sorted, paged, exported as CSV), and the change in benefit
//! cost. Simulating only reads, so it is a GET form; publishing is one button.

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use rust_decimal::Decimal;
use serde::Serialize;
use tributary_domain::money::parse_decimal;
use tributary_domain::tiering::{BenefitCost, TierStructure};
use tributary_store::repo::tier_structures::{StoredStructure, StructureStatus};

use super::super::form::{FormState, choices, one};
use super::super::listing::{Column, Listing, Params, plain, sortable};
use super::super::page::{Chrome, PageError, PortalCaller, render_status, respond};
use super::chart::{self, BarChart};
use super::{ResultView, SECTION, csv_of, csv_response, load, may_write_programs, money_text};
use crate::api::tier_structures::DEFAULT_BASE_REBATE_PERCENT;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::{Access, Resource, authorize};
use crate::services::tiering::simulation::{MoverRow, SimulationReport, simulate};
use crate::state::AppState;

/// Movers per page.
const PAGE: usize = 100;

const COLUMNS: &[Column] = &[
    sortable("Partner", "partner"),
    sortable("Now", "from"),
    sortable("Draft", "to"),
    sortable("Direction", "direction"),
    plain("Because"),
];

#[derive(Debug, Serialize)]
struct MoverView {
    partner_id: String,
    partner_name: String,
    from_name: String,
    to_name: String,
    direction: String,
    because_level: String,
    because_met: bool,
    results: Vec<ResultView>,
}

fn mover_view(draft: &TierStructure, m: MoverRow) -> MoverView {
    let level = m.because.level as usize;
    MoverView {
        results: m
            .because
            .requirements
            .iter()
            .map(|r| ResultView::of(draft, r, super::comparison_of(draft, level, &r.metric)))
            .collect(),
        because_level: m.because.name.clone(),
        because_met: m.because.met,
        partner_id: m.partner_id,
        partner_name: m.partner_name,
        from_name: m.from_name,
        to_name: m.to_name,
        direction: m.direction,
    }
}

#[derive(Debug, Serialize)]
struct CostRow {
    label: &'static str,
    now: String,
    draft: String,
    change: String,
    increase: bool,
}

fn cost_rows(draft: &TierStructure, now: &BenefitCost, then: &BenefitCost) -> Vec<CostRow> {
    let row = |label, a: Decimal, b: Decimal| {
        let change = b - a;
        CostRow {
            label,
            now: money_text(draft, a),
            draft: money_text(draft, b),
            change: format!(
                "{}{}",
                if change > Decimal::ZERO { "+" } else { "" },
                money_text(draft, change)
            ),
            increase: change > Decimal::ZERO,
        }
    };
    vec![
        row("Discounts", now.discount, then.discount),
        row("MDF", now.mdf, then.mdf),
        row("Rebates", now.rebate, then.rebate),
        row(
            "Total",
            now.discount + now.mdf + now.rebate,
            then.discount + then.mdf + then.rebate,
        ),
    ]
}

/// Simulates draft `id` for `caller`: program-wide counts and costs, movers listed only
/// among the partners the caller may see.
async fn run(state: &AppState, caller: &Caller, id: &str, rate: Decimal) -> AppResult<SimulationReport> {
    let grant = authorize(caller, Resource::TierPrograms, Access::Read)?;
    simulate(&state.db, &grant.scope, id, rate).await
}

/// The listed movers matching the page's `direction` filter, in the order of its `sort`.
fn movers_of(report: &SimulationReport, params: &Params) -> Vec<MoverRow> {
    let mut movers: Vec<MoverRow> = report
        .movers
        .iter()
        .filter(|m| params.get("direction").is_none_or(|d| m.direction == d))
        .cloned()
        .collect();
    let sort = params.get("sort").unwrap_or("partner");
    let (key, descending) = match sort.strip_prefix('-') {
        Some(key) => (key, true),
        None => (sort, false),
    };
    movers.sort_by(|a, b| {
        let order = match key {
            "from" => a.from.cmp(&b.from),
            "to" => a.to.cmp(&b.to),
            "direction" => a.direction.cmp(&b.direction),
            _ => a.partner_name.to_lowercase().cmp(&b.partner_name.to_lowercase()),
        }
        .then_with(|| a.partner_id.cmp(&b.partner_id));
        if descending { order.reverse() } else { order }
    });
    movers
}

/// The draft `id` and the base rebate rate of the request (or the form's error).
async fn draft_and_rate(
    state: &AppState,
    caller: &Caller,
    id: &str,
    params: &Params,
) -> AppResult<(StoredStructure, Result<Decimal, String>)> {
    let draft = load(state, caller, id).await?;
    if draft.status != StructureStatus::Draft {
        return Err(AppError::Conflict(
            "simulate a draft: copy the published structure into a draft first".into(),
        ));
    }
    let rate = match params.get("base_rebate_percent") {
        None => Ok(DEFAULT_BASE_REBATE_PERCENT),
        Some(text) => parse_decimal(text).map_err(|m| m.to_string()).and_then(|rate| {
            if rate < Decimal::ZERO || rate > Decimal::ONE_HUNDRED {
                Err("must be between 0 and 100".to_string())
            } else {
                Ok(rate)
            }
        }),
    };
    Ok((draft, rate))
}

pub async fn page(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let params = Params::of(&uri);
        let (draft, rate) = draft_and_rate(&state, &caller, &id, &params).await?;
        let mut form = FormState::new(params.values()).prefixed("s-");
        form.values
            .entry("base_rebate_percent".into())
            .or_insert_with(|| DEFAULT_BASE_REBATE_PERCENT.to_string());
        let path = format!("/tiers/{id}/simulate");
        let (status, report) = match rate {
            Err(message) => {
                form.errors.insert("base_rebate_percent".into(), message);
                (StatusCode::UNPROCESSABLE_ENTITY, None)
            }
            Ok(rate) => (StatusCode::OK, Some(run(&state, &caller, &id, rate).await?)),
        };
        let mut context = minijinja::context! {
            chrome => Chrome::of(&caller, SECTION),
            structure => minijinja::context! { id => draft.id, name => draft.definition.name.clone(), draft_of => draft.draft_of },
            may_write => may_write_programs(&caller),
            filters => FormState::new(params.values()).prefixed("q-"),
            form,
        };
        if let Some(report) = report {
            let d = &draft.definition;
            let movers = movers_of(&report, &params);
            let offset: usize = params.get("offset").and_then(|o| o.parse().ok()).unwrap_or(0);
            let shown: Vec<MoverView> = movers
                .iter()
                .skip(offset)
                .take(PAGE)
                .cloned()
                .map(|m| mover_view(d, m))
                .collect();
            let next = (offset + PAGE < movers.len()).then(|| (offset + PAGE).to_string());
            let mut listing = Listing::new(&path, &params, "partner", COLUMNS)
                .rows(shown.len())
                .count(movers.len() as i64)
                .paged("offset", next);
            listing.export_href = Some(params.filters().href(&format!("{path}/movers.csv"), &[]));
            let levels = report.now_levels.len().max(report.draft_levels.len());
            let categories: Vec<String> = (0..levels)
                .map(|i| {
                    match (report.now_levels.get(i), report.draft_levels.get(i)) {
                        (Some(now), Some(draft)) if now != draft => format!("{now} → {draft}"),
                        (_, Some(name)) | (Some(name), None) => name.clone(),
                        (None, None) => format!("Level {i}"),
                    }
                })
                .collect();
            let pad = |counts: &[u64]| (0..levels).map(|i| counts.get(i).copied().unwrap_or(0)).collect::<Vec<_>>();
            let chart: BarChart = chart::grouped(
                "simulation-chart",
                "Partners per level, now and under the draft",
                &categories,
                &["now", "draft"],
                &[pad(&report.now_counts), pad(&report.draft_counts)],
            );
            let direction_links = [("", "All"), ("up", "Up"), ("down", "Down")].map(|(value, label)| {
                let value = (!value.is_empty()).then_some(value);
                minijinja::context! {
                    label,
                    href => params.href(&path, &[("direction", value), ("offset", None)]),
                    current => params.get("direction") == value,
                }
            });
            let up = report.movers.iter().filter(|m| m.direction == "up").count();
            let down = report.movers.len() - up;
            let unlisted = report.movers_not_listed;
            context = minijinja::context! {
                costs => cost_rows(d, &report.cost_now, &report.cost_draft),
                movers => shown,
                direction_choices => choices([("up", "Up"), ("down", "Down")], &one(params.get("direction"))),
                report, chart, listing, direction_links, up, down, unlisted,
                ..context
            };
        }
        render_status(&state, status, "tiers/simulate.html", context)
    })
    .await
}

/// The movers (with the page's filter and order) as CSV.
pub async fn movers_csv(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let params = Params::of(&uri);
        let (draft, rate) = draft_and_rate(&state, &caller, &id, &params).await?;
        let rate = rate.map_err(|m| AppError::field("base_rebate_percent", m))?;
        let report = run(&state, &caller, &id, rate).await?;
        let d = &draft.definition;
        let rows = movers_of(&report, &params).into_iter().map(|m| {
            let view = mover_view(d, m.clone());
            let because: Vec<String> = view
                .results
                .iter()
                .map(|r| {
                    format!(
                        "{} {} {} {} ({})",
                        r.metric,
                        r.value,
                        if r.comparison.is_empty() { "vs" } else { r.comparison },
                        r.target,
                        if r.met { "met" } else { "missed" }
                    )
                })
                .collect();
            vec![
                m.partner_id,
                m.partner_name,
                m.from.to_string(),
                m.from_name,
                m.to.to_string(),
                m.to_name,
                m.direction,
                m.because.name,
                because.join("; "),
            ]
        });
        let body = csv_of(
            &[
                "partner_id",
                "partner_name",
                "from_level",
                "from_name",
                "to_level",
                "to_name",
                "direction",
                "explaining_level",
                "requirements",
            ],
            rows,
        )?;
        csv_response("tier-simulation-movers.csv", body)
    })
    .await
}
