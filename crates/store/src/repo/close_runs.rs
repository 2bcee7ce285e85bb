//! Close runs: one period close of every published plan of a cadence, with its phase and
//! progress while it runs (the portal and the command line poll it), and its summary or
//! error once it has finished. A partial unique index allows one running close per period.

use sea_query::{Cond, Expr, ExprTrait, Order, Query};
use serde::Serialize;

use crate::{Conn, StoreError, time};

tributary_domain::code_enum! {
    /// Where a close run is.
    pub enum CloseStatus ("close status") {
        Running => ("running", "Running"),
        Succeeded => ("succeeded", "Succeeded"),
        Failed => ("failed", "Failed"),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CloseRun {
    pub id: String,
    /// "2026-Q3", "2026-09" or "2026".
    pub period_key: String,
    /// month, quarter or year.
    pub period_kind: String,
    pub period_start: String,
    pub period_end: String,
    pub status: CloseStatus,
    /// What the run is doing: queued, loading, calculating, writing, done.
    pub phase: String,
    pub progress_done: i64,
    pub progress_total: i64,
    pub started_by: Option<String>,
    pub started_at: String,
    pub finished_at: Option<String>,
    /// Why the close failed (nothing was written).
    pub error: Option<String>,
    /// What the close wrote (plans, partners, statements, adjustments, totals).
    #[schema(value_type = Option<Object>)]
    pub summary: Option<serde_json::Value>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    period_key: String,
    period_kind: String,
    period_start: String,
    period_end: String,
    status: String,
    phase: String,
    progress_done: i64,
    progress_total: i64,
    started_by: Option<String>,
    started_at: String,
    finished_at: Option<String>,
    error: Option<String>,
    summary_json: Option<String>,
}

const COLUMNS: [&str; 14] = [
    "id",
    "period_key",
    "period_kind",
    "period_start",
    "period_end",
    "status",
    "phase",
    "progress_done",
    "progress_total",
    "started_by",
    "started_at",
    "finished_at",
    "error",
    "summary_json",
];

impl TryFrom<Row> for CloseRun {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Self, StoreError> {
        let summary = r
            .summary_json
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("close run {} summary: {e}", r.id)))?;
        Ok(CloseRun {
            status: CloseStatus::parse(&r.status).map_err(StoreError::Corrupt)?,
            id: r.id,
            period_key: r.period_key,
            period_kind: r.period_kind,
            period_start: r.period_start,
            period_end: r.period_end,
            phase: r.phase,
            progress_done: r.progress_done,
            progress_total: r.progress_total,
            started_by: r.started_by,
            started_at: r.started_at,
            finished_at: r.finished_at,
            error: r.error,
            summary,
        })
    }
}

/// Records a run as started. A second running close of the same period is refused
/// ([`StoreError::Conflict`]) by the partial unique index.
pub async fn insert(conn: &mut Conn<'_>, run: &CloseRun) -> Result<(), StoreError> {
    conn.execute(
        &Query::insert()
            .into_table("close_runs")
            .columns(COLUMNS)
            .values_panic([
                run.id.clone().into(),
                run.period_key.clone().into(),
                run.period_kind.clone().into(),
                run.period_start.clone().into(),
                run.period_end.clone().into(),
                run.status.as_str().into(),
                run.phase.clone().into(),
                run.progress_done.into(),
                run.progress_total.into(),
                run.started_by.clone().into(),
                run.started_at.clone().into(),
                run.finished_at.clone().into(),
                run.error.clone().into(),
                run.summary.as_ref().map(|s| s.to_string()).into(),
            ])
            .take(),
    )
    .await?;
    Ok(())
}

pub async fn get(conn: &mut Conn<'_>, id: &str) -> Result<Option<CloseRun>, StoreError> {
    let row: Option<Row> = conn
        .fetch_optional(
            &Query::select()
                .columns(COLUMNS)
                .from("close_runs")
                .and_where(Expr::col("id").eq(id))
                .take(),
        )
        .await?;
    row.map(CloseRun::try_from).transpose()
}

#[derive(Debug, Clone, Default)]
pub struct CloseRunFilter {
    pub period_key: Option<String>,
    pub status: Option<CloseStatus>,
}

/// The newest runs matching the filter, at most `limit`.
pub async fn list(conn: &mut Conn<'_>, filter: &CloseRunFilter, limit: u64) -> Result<Vec<CloseRun>, StoreError> {
    let mut cond = Cond::all();
    if let Some(key) = filter.period_key.as_deref().filter(|k| !k.is_empty()) {
        cond = cond.add(Expr::col("period_key").eq(key));
    }
    if let Some(status) = filter.status {
        cond = cond.add(Expr::col("status").eq(status.as_str()));
    }
    let rows: Vec<Row> = conn
        .fetch_all(
            &Query::select()
                .columns(COLUMNS)
                .from("close_runs")
                .cond_where(cond)
                .order_by("started_at", Order::Desc)
                .order_by("id", Order::Desc)
                .limit(limit.clamp(1, 1000))
                .take(),
        )
        .await?;
    rows.into_iter().map(CloseRun::try_from).collect()
}

/// Moves a running close to `phase` with `done` of `total` steps.
pub async fn progress(conn: &mut Conn<'_>, id: &str, phase: &str, done: i64, total: i64) -> Result<(), StoreError> {
    conn.execute(
        &Query::update()
            .table("close_runs")
            .values([
                ("phase", phase.into()),
                ("progress_done", done.into()),
                ("progress_total", total.into()),
            ])
            .and_where(Expr::col("id").eq(id))
            .and_where(Expr::col("status").eq(CloseStatus::Running.as_str()))
            .take(),
    )
    .await?;
    Ok(())
}

/// Ends a running close: succeeded with its summary, or failed with its error.
pub async fn finish(
    conn: &mut Conn<'_>,
    id: &str,
    outcome: Result<&serde_json::Value, &str>,
) -> Result<(), StoreError> {
    let (status, summary, error) = match outcome {
        Ok(summary) => (CloseStatus::Succeeded, Some(summary.to_string()), None),
        Err(error) => (CloseStatus::Failed, None, Some(error.to_string())),
    };
    conn.execute(
        &Query::update()
            .table("close_runs")
            .values([
                ("status", status.as_str().into()),
                ("phase", "done".into()),
                ("finished_at", time::now_text().into()),
                ("summary_json", summary.into()),
                ("error", error.into()),
            ])
            .and_where(Expr::col("id").eq(id))
            .and_where(Expr::col("status").eq(CloseStatus::Running.as_str()))
            .take(),
    )
    .await?;
    Ok(())
}

/// Marks as failed the runs of `period_key` still "running" that started before
/// `started_before` — a close whose server stopped mid-way never finishes by itself, and
/// would otherwise block its period for good. Returns how many it marked.
pub async fn fail_abandoned(conn: &mut Conn<'_>, period_key: &str, started_before: &str) -> Result<u64, StoreError> {
    conn.execute(
        &Query::update()
            .table("close_runs")
            .values([
                ("status", CloseStatus::Failed.as_str().into()),
                ("phase", "done".into()),
                ("finished_at", time::now_text().into()),
                (
                    "error",
                    "the close stopped without finishing (the server stopped?); nothing was written".into(),
                ),
            ])
            .and_where(Expr::col("period_key").eq(period_key))
            .and_where(Expr::col("status").eq(CloseStatus::Running.as_str()))
            .and_where(Expr::col("started_at").lt(started_before))
            .take(),
    )
    .await
}
