//! The snapshot table: what each evaluation decided for each partner the caller may see
//! (channel managers their own partners), filtered by structure, evaluation date, partner,
//! change and level, sorted by date or change, paged, and exported as CSV with the same
//! filters through the API's export function.

use std::collections::{BTreeMap, HashMap};

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use serde::Serialize;
use tributary_store::repo::partners::PartnerFilter;
use tributary_store::repo::tier_snapshots::{self, Snapshot};
use tributary_store::repo::tier_structures::{self, StoredStructure};

use super::super::form::{FormState, choices, one};
use super::super::listing::{Column, Listing, Params, numeric, plain, sortable};
use super::super::lookup::partner_choices;
use super::super::page::{Chrome, PageError, PortalCaller, render, respond};
use super::{SECTION, csv_response};
use crate::api::tier_status::{SnapshotQuery, snapshots_csv};
use crate::error::AppResult;
use crate::policy::{Access, Resource, authorize};
use crate::state::AppState;

const COLUMNS: &[Column] = &[
    plain("Partner"),
    sortable("Date", "eval_date"),
    plain("Structure"),
    plain("Region"),
    plain("Qualifying"),
    plain("Previous"),
    plain("Assigned"),
    sortable("Change", "change_kind"),
    numeric("Misses"),
];

/// The change kinds of a snapshot, with their labels.
pub const CHANGES: [(&str, &str); 6] = [
    ("initial", "Initial"),
    ("promoted", "Promoted"),
    ("demoted", "Demoted"),
    ("stayed", "Stayed"),
    ("at_risk", "At risk"),
    ("overridden", "Overridden"),
];

pub fn change_label(kind: &str) -> &str {
    CHANGES
        .iter()
        .find(|(code, _)| *code == kind)
        .map_or(kind, |(_, label)| label)
}

/// The name a snapshot gives level `level` (its checks are named as at evaluation time).
pub fn level_name(snapshot: &Snapshot, level: i64) -> String {
    snapshot
        .checks
        .iter()
        .find(|c| i64::from(c.level) == level)
        .map_or(format!("Level {level}"), |c| c.name.clone())
}

#[derive(Debug, Serialize)]
struct Row {
    partner_id: String,
    partner_name: String,
    eval_date: String,
    structure_id: String,
    structure_name: String,
    region: Option<String>,
    qualifying: String,
    previous: Option<String>,
    assigned: String,
    change_kind: String,
    change_label: String,
    misses: i64,
    override_reason: Option<String>,
}

fn row_of(s: Snapshot, structures: &HashMap<String, StoredStructure>) -> Row {
    Row {
        qualifying: level_name(&s, s.qualifying_level),
        previous: s.previous_level.map(|l| level_name(&s, l)),
        assigned: level_name(&s, s.assigned_level),
        change_label: change_label(&s.change_kind).to_string(),
        structure_name: structures
            .get(&s.structure_id)
            .map_or(s.structure_id.clone(), |st| st.definition.name.clone()),
        partner_id: s.partner_id,
        partner_name: s.partner_name,
        eval_date: s.eval_date,
        structure_id: s.structure_id,
        region: s.region,
        change_kind: s.change_kind,
        misses: s.misses,
        override_reason: s.override_reason,
    }
}

/// Level options: the selected structure's levels, or each level number with the names
/// the structures give it.
fn level_choices(
    structures: &[StoredStructure],
    selected_structure: Option<&str>,
    selected: Option<&str>,
) -> Vec<super::super::form::Choice> {
    let mut names: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for s in structures
        .iter()
        .filter(|s| selected_structure.is_none_or(|id| s.id == id))
    {
        for (i, level) in s.definition.levels.iter().enumerate() {
            let entry = names.entry(i).or_default();
            if !entry.contains(&level.name) {
                entry.push(level.name.clone());
            }
        }
    }
    choices(
        names
            .into_iter()
            .map(|(i, names)| (i.to_string(), format!("{i} — {}", names.join(" / ")))),
        &one(selected),
    )
}

pub async fn list(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        authorize(&caller, Resource::TierPrograms, Access::Read)?;
        let grant = authorize(&caller, Resource::TierStatus, Access::Read)?;
        let params = Params::of(&uri);
        let query: SnapshotQuery = params.parse()?;
        let filter = query.filter()?;
        let request = query.paging().request(tier_snapshots::SORTABLE, "-eval_date")?;
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        let page = tier_snapshots::list(&mut conn, &grant.scope, &filter, &request).await?;
        let all = tier_structures::list(&mut conn, None).await?;
        let by_id: HashMap<String, StoredStructure> = all.iter().map(|s| (s.id.clone(), s.clone())).collect();
        let rows: Vec<Row> = page.items.into_iter().map(|s| row_of(s, &by_id)).collect();
        let partners = partner_choices(
            &mut conn,
            &grant.scope,
            &PartnerFilter::default(),
            params.get("partner_id"),
        )
        .await?;
        let mut listing = Listing::new("/tiers/snapshots", &params, "-eval_date", COLUMNS)
            .rows(rows.len())
            .paged("cursor", page.next_cursor);
        listing.export_href = Some(params.filters().href("/tiers/snapshots/export", &[]));
        render(
            &state,
            "tiers/snapshots.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, SECTION),
                structures => choices(
                    all.iter().map(|s| (s.id.clone(), s.definition.name.clone())),
                    &one(params.get("structure_id")),
                ),
                changes => choices(CHANGES, &one(params.get("change_kind"))),
                levels => level_choices(&all, params.get("structure_id"), params.get("assigned_level")),
                filters => FormState::new(params.values()).prefixed("q-"),
                rows, listing, partners,
            },
        )
    })
    .await
}

/// The snapshots matching the page's filters as CSV.
pub async fn export(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        authorize(&caller, Resource::TierPrograms, Access::Read)?;
        let query: SnapshotQuery = Params::of(&uri).filters().parse()?;
        let body: AppResult<Vec<u8>> = snapshots_csv(&state, &caller, &query.filter()?).await;
        csv_response("tier-snapshots.csv", body?)
    })
    .await
}
