//! File imports. A blocking reader thread streams the file (CSV, or Parquet for sales
//! facts) and parses and validates each row; this side applies the rows through the same
//! services as the API, all inside one transaction. Every bad row is reported (row number,
//! column, reason; the first [`ROW_PROBLEMS_MAX`]) and a file with any bad row imports
//! nothing: the transaction is rolled back.

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;

use tokio::sync::mpsc;
use tributary_domain::role::Role;
use tributary_domain::validation::FieldError;
use tributary_interchange::{
    Accounts, CsvImport, FxRates, ImportKind, ImportedRow, MetricFacts, Partners, Products, Regions, SalesFacts,
    SalesParquetReader, Upsert, Users, Verticals, read_sales_parquet,
};
use tributary_store::audit::Actor;
use tributary_store::repo::{accounts, partners, products, users};
use tributary_store::{Conn, Scope};

use super::sales::{SalesResolver, close_batch, open_batch};
use super::tiering::metric_facts::MetricFactResolver;
use crate::auth::Caller;
use crate::error::{AppError, AppResult, RowProblem};
use crate::policy::{self, Resource};

/// Row problems reported at most (the import still checks every row).
pub const ROW_PROBLEMS_MAX: usize = 1000;
const CHANNEL_ROWS: usize = 2048;
const FACT_BATCH: usize = 2000;

tributary_domain::code_enum! {
    /// What a file holds.
    pub enum ImportKindName ("import kind") {
        Partners => ("partners", "Partners"),
        Users => ("users", "Users"),
        Products => ("products", "Products"),
        Accounts => ("accounts", "Customer accounts"),
        Regions => ("regions", "Regions"),
        Verticals => ("verticals", "Verticals"),
        FxRates => ("fx-rates", "FX rates"),
        SalesFacts => ("sales-facts", "Sales facts"),
        MetricFacts => ("metric-facts", "Metric facts"),
    }
}

impl ImportKindName {
    /// The resource whose import permission the kind needs.
    pub fn resource(self) -> Resource {
        match self {
            ImportKindName::Partners => Resource::Partners,
            ImportKindName::Users => Resource::Users,
            ImportKindName::Products => Resource::Products,
            ImportKindName::Accounts => Resource::Accounts,
            ImportKindName::Regions | ImportKindName::Verticals => Resource::Geography,
            ImportKindName::FxRates => Resource::FxRates,
            ImportKindName::SalesFacts => Resource::Sales,
            ImportKindName::MetricFacts => Resource::MetricFacts,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Parquet,
}

/// A file waiting to be imported.
#[derive(Debug, Clone)]
pub struct ImportFile {
    pub path: PathBuf,
    pub file_name: String,
    pub format: FileFormat,
    pub content_sha256: String,
}

#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct ImportOutcome {
    pub kind: String,
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    /// The batch every imported sales fact points to.
    pub import_batch_id: Option<String>,
}

/// Who imports, and the partner rows they may touch. `caller` is `None` for operators on
/// the command line, who act for the vendor with every right.
pub struct Importer<'a> {
    pub actor: &'a Actor,
    pub scope: &'a Scope,
    pub caller: Option<&'a Caller>,
}

impl Importer<'_> {
    fn may_change_program_fields(&self) -> bool {
        self.caller.is_none_or(policy::may_change_program_fields)
    }

    fn may_assign_role(&self, role: Role, partner_id: Option<&str>) -> AppResult<()> {
        match self.caller {
            Some(caller) => policy::may_assign_role(caller, role, partner_id),
            None => Ok(()),
        }
    }
}

/// Progress: bytes (or records) read so far and the total, and rows applied.
pub type Progress<'a> = &'a (dyn Fn(u64, u64, u64) + Send + Sync);

enum Message<K: ImportKind> {
    Row(ImportedRow<K>),
    Invalid(Vec<RowProblem>),
    Read { done: u64 },
}

fn to_problems(errors: Vec<tributary_interchange::RowError>) -> Vec<RowProblem> {
    errors
        .into_iter()
        .map(|e| RowProblem {
            row: e.row,
            column: e.column,
            message: e.message,
        })
        .collect()
}

/// Runs `rows` on a blocking thread, sending each row and, every 1,000 rows, how far the
/// reader has got (`position`: bytes for CSV, records for Parquet).
fn pump<K, I>(mut rows: I, position: fn(&I) -> u64) -> mpsc::Receiver<Message<K>>
where
    K: ImportKind + Send + 'static,
    K::Input: Send,
    K::Fields: Send,
    I: Iterator<Item = Result<ImportedRow<K>, Vec<tributary_interchange::RowError>>> + Send + 'static,
{
    let (sender, receiver) = mpsc::channel(CHANNEL_ROWS);
    tokio::task::spawn_blocking(move || {
        let mut count = 0u64;
        while let Some(item) = rows.next() {
            let message = match item {
                Ok(row) => Message::Row(row),
                Err(errors) => Message::Invalid(to_problems(errors)),
            };
            if sender.blocking_send(message).is_err() {
                return;
            }
            count += 1;
            if count.is_multiple_of(1000) && sender.blocking_send(Message::Read { done: position(&rows) }).is_err() {
                return;
            }
        }
        let _ = sender.blocking_send(Message::Read { done: position(&rows) });
    });
    receiver
}

fn unreadable(error: tributary_interchange::ImportError) -> AppError {
    AppError::InvalidRows(vec![RowProblem {
        row: 1,
        column: String::new(),
        message: error.to_string(),
    }])
}

/// Streams a CSV file of kind `K`; the total is the file size in bytes.
fn stream_csv<K>(path: PathBuf) -> AppResult<(mpsc::Receiver<Message<K>>, u64)>
where
    K: ImportKind + Send + 'static,
    K::Input: Send,
    K::Fields: Send,
{
    let total = std::fs::metadata(&path).map_err(crate::error::internal)?.len();
    let file = File::open(&path).map_err(crate::error::internal)?;
    let reader = CsvImport::<K, _>::new(BufReader::with_capacity(1 << 16, file)).map_err(unreadable)?;
    Ok((pump(reader, CsvImport::bytes_read), total))
}

/// Streams a Parquet file of sales facts; the total is the number of records.
fn stream_sales_parquet(path: PathBuf) -> AppResult<(mpsc::Receiver<Message<SalesFacts>>, u64)> {
    let reader = read_sales_parquet(&path).map_err(unreadable)?;
    let total = reader.total_records();
    Ok((pump(reader, SalesParquetReader::records_read), total))
}

/// What applying one row did.
enum Applied {
    Created,
    Updated,
}

fn row_problems(row: u64, error: AppError) -> AppResult<Vec<RowProblem>> {
    match error {
        AppError::Validation(errors) => Ok(errors
            .into_iter()
            .map(|FieldError { field, message }| RowProblem {
                row,
                column: field,
                message,
            })
            .collect()),
        AppError::Conflict(message) | AppError::NotFound(message) | AppError::Forbidden(message) => {
            Ok(vec![RowProblem {
                row,
                column: String::new(),
                message,
            }])
        }
        other => Err(other),
    }
}

/// Imports `file` as `kind` within the caller's transaction; the caller commits only if
/// this returns `Ok`, so nothing is written unless every row is valid.
pub async fn import(
    conn: &mut Conn<'_>,
    importer: &Importer<'_>,
    kind: ImportKindName,
    file: &ImportFile,
    progress: Progress<'_>,
) -> AppResult<ImportOutcome> {
    if file.format == FileFormat::Parquet && kind != ImportKindName::SalesFacts {
        return Err(AppError::BadRequest(
            "only sales facts can be imported from Parquet; use CSV".into(),
        ));
    }
    let outcome = match kind {
        ImportKindName::Partners => apply_all::<Partners>(conn, importer, file, progress).await?,
        ImportKindName::Users => apply_all::<Users>(conn, importer, file, progress).await?,
        ImportKindName::Products => apply_all::<Products>(conn, importer, file, progress).await?,
        ImportKindName::Accounts => apply_all::<Accounts>(conn, importer, file, progress).await?,
        ImportKindName::Regions => apply_all::<Regions>(conn, importer, file, progress).await?,
        ImportKindName::Verticals => apply_all::<Verticals>(conn, importer, file, progress).await?,
        ImportKindName::FxRates => apply_all::<FxRates>(conn, importer, file, progress).await?,
        ImportKindName::SalesFacts => {
            let stream = match file.format {
                FileFormat::Csv => stream_csv::<SalesFacts>(file.path.clone())?,
                FileFormat::Parquet => stream_sales_parquet(file.path.clone())?,
            };
            import_facts(conn, importer, file, stream, SalesResolver::default(), progress).await?
        }
        ImportKindName::MetricFacts => {
            let stream = stream_csv::<MetricFacts>(file.path.clone())?;
            let resolver = MetricFactResolver::new(importer.scope);
            import_facts(conn, importer, file, stream, resolver, progress).await?
        }
    };
    Ok(ImportOutcome {
        kind: kind.as_str().to_string(),
        ..outcome
    })
}

/// A kind whose valid rows are applied one by one through its service.
trait ApplyRow: ImportKind + Send + Sized + 'static
where
    Self::Input: Send,
    Self::Fields: Send,
{
    fn apply(
        conn: &mut Conn<'_>,
        importer: &Importer<'_>,
        fields: Self::Fields,
    ) -> impl std::future::Future<Output = AppResult<Applied>> + Send;
}

async fn apply_all<K>(
    conn: &mut Conn<'_>,
    importer: &Importer<'_>,
    file: &ImportFile,
    progress: Progress<'_>,
) -> AppResult<ImportOutcome>
where
    K: ApplyRow,
    K::Input: Send,
    K::Fields: Send,
{
    let (mut receiver, total) = stream_csv::<K>(file.path.clone())?;
    let mut problems = Vec::new();
    let mut outcome = ImportOutcome::default();
    while let Some(message) = receiver.recv().await {
        match message {
            Message::Row(row) => {
                outcome.rows += 1;
                if !problems.is_empty() {
                    continue;
                }
                match K::apply(conn, importer, row.fields).await {
                    Ok(Applied::Created) => outcome.created += 1,
                    Ok(Applied::Updated) => outcome.updated += 1,
                    Err(error) => problems.extend(row_problems(row.row, error)?),
                }
            }
            Message::Invalid(found) => {
                outcome.rows += 1;
                problems.extend(found);
            }
            Message::Read { done } => progress(done, total, outcome.rows),
        }
    }
    finish(problems, outcome)
}

fn finish(mut problems: Vec<RowProblem>, outcome: ImportOutcome) -> AppResult<ImportOutcome> {
    if problems.is_empty() {
        Ok(outcome)
    } else {
        problems.truncate(ROW_PROBLEMS_MAX);
        Err(AppError::InvalidRows(problems))
    }
}

/// Append-only facts: each valid row resolves to a stored line; lines are appended in
/// batches and all point to the import batch that brought them.
trait FactLines: Send {
    type Kind: ImportKind + Send + 'static;
    type Line: Send + Sync;
    const BATCH_KIND: &'static str;

    fn resolve(
        &mut self,
        conn: &mut Conn<'_>,
        fields: <Self::Kind as ImportKind>::Fields,
        batch_id: &str,
        created_at: &str,
    ) -> impl std::future::Future<Output = AppResult<Result<Self::Line, Vec<FieldError>>>> + Send;

    fn append(conn: &mut Conn<'_>, lines: &[Self::Line]) -> impl std::future::Future<Output = AppResult<()>> + Send;
}

impl FactLines for SalesResolver {
    type Kind = SalesFacts;
    type Line = tributary_store::repo::sales::SalesFact;
    const BATCH_KIND: &'static str = "sales_facts";

    async fn resolve(
        &mut self,
        conn: &mut Conn<'_>,
        fields: tributary_domain::sales::SalesFactFields,
        batch_id: &str,
        created_at: &str,
    ) -> AppResult<Result<Self::Line, Vec<FieldError>>> {
        SalesResolver::resolve(self, conn, fields, batch_id, created_at).await
    }

    async fn append(conn: &mut Conn<'_>, lines: &[Self::Line]) -> AppResult<()> {
        super::sales::append(conn, lines).await
    }
}

impl FactLines for MetricFactResolver<'_> {
    type Kind = MetricFacts;
    type Line = tributary_store::repo::metric_facts::MetricFactRow;
    const BATCH_KIND: &'static str = "metric_facts";

    async fn resolve(
        &mut self,
        conn: &mut Conn<'_>,
        fields: tributary_domain::metric_fact::MetricFactFields,
        batch_id: &str,
        created_at: &str,
    ) -> AppResult<Result<Self::Line, Vec<FieldError>>> {
        MetricFactResolver::resolve(self, conn, fields, batch_id, created_at).await
    }

    async fn append(conn: &mut Conn<'_>, lines: &[Self::Line]) -> AppResult<()> {
        super::tiering::metric_facts::append(conn, lines).await
    }
}

async fn import_facts<L>(
    conn: &mut Conn<'_>,
    importer: &Importer<'_>,
    file: &ImportFile,
    (mut receiver, total): (mpsc::Receiver<Message<L::Kind>>, u64),
    mut lines: L,
    progress: Progress<'_>,
) -> AppResult<ImportOutcome>
where
    L: FactLines,
    <L::Kind as ImportKind>::Input: Send,
    <L::Kind as ImportKind>::Fields: Send,
{
    let batch = open_batch(
        conn,
        importer.actor,
        L::BATCH_KIND,
        &file.file_name,
        &file.content_sha256,
    )
    .await?;
    let mut problems: Vec<RowProblem> = Vec::new();
    let mut pending = Vec::with_capacity(FACT_BATCH);
    let mut outcome = ImportOutcome::default();
    while let Some(message) = receiver.recv().await {
        match message {
            Message::Row(row) => {
                outcome.rows += 1;
                match lines.resolve(conn, row.fields, &batch.id, &batch.created_at).await? {
                    Ok(line) if problems.is_empty() => pending.push(line),
                    Ok(_) => {}
                    Err(errors) => problems.extend(row_problems(row.row, AppError::Validation(errors))?),
                }
                if pending.len() >= FACT_BATCH {
                    L::append(conn, &pending).await?;
                    outcome.created += pending.len() as u64;
                    pending.clear();
                }
            }
            Message::Invalid(found) => {
                outcome.rows += 1;
                problems.extend(found);
            }
            Message::Read { done } => progress(done, total, outcome.rows),
        }
    }
    if !problems.is_empty() {
        return finish(problems, outcome);
    }
    L::append(conn, &pending).await?;
    outcome.created += pending.len() as u64;
    close_batch(conn, importer.actor, &batch, outcome.created).await?;
    outcome.import_batch_id = Some(batch.id);
    Ok(outcome)
}

impl ApplyRow for Partners {
    async fn apply(
        conn: &mut Conn<'_>,
        importer: &Importer<'_>,
        row: Upsert<tributary_domain::partner::PartnerFields>,
    ) -> AppResult<Applied> {
        let existing = match &row.id {
            Some(id) => partners::get(conn, &Scope::All, id).await?,
            None => None,
        };
        match existing {
            Some(current) => {
                if !importer
                    .scope
                    .admits(&current.id, current.fields.channel_manager_id.as_deref())
                {
                    return Err(AppError::field(
                        "id",
                        format!("no partner you manage has id {}", current.id),
                    ));
                }
                let fields = if importer.may_change_program_fields() {
                    row.fields
                } else {
                    super::partners::profile_only(&current, row.fields)
                };
                super::partners::update(conn, importer.actor, &current, &fields).await?;
                Ok(Applied::Updated)
            }
            None => {
                if !importer.may_change_program_fields() {
                    return Err(AppError::Forbidden(
                        "partner organisations are created by the vendor".into(),
                    ));
                }
                let id = row.id.unwrap_or_else(tributary_domain::ids::new_id);
                super::partners::create(conn, importer.actor, &id, &row.fields).await?;
                Ok(Applied::Created)
            }
        }
    }
}

impl ApplyRow for Users {
    async fn apply(
        conn: &mut Conn<'_>,
        importer: &Importer<'_>,
        fields: tributary_domain::user::UserFields,
    ) -> AppResult<Applied> {
        importer.may_assign_role(fields.role, fields.partner_id.as_deref())?;
        if let Some(partner_id) = &fields.partner_id
            && *importer.scope != Scope::All
            && partners::get(conn, importer.scope, partner_id).await?.is_none()
        {
            return Err(AppError::field(
                "partner_id",
                format!("no partner you manage has id {partner_id}"),
            ));
        }
        match users::credentials_by_email(conn, &fields.email).await? {
            Some(existing) => {
                let Some(current) = users::get(conn, importer.scope, &existing.id).await? else {
                    return Err(AppError::field(
                        "email",
                        format!("{} belongs to a user you cannot change", fields.email),
                    ));
                };
                importer.may_assign_role(current.role()?, current.partner_id.as_deref())?;
                let active = current.active;
                super::users::update(conn, importer.actor, &current, &fields, active).await?;
                Ok(Applied::Updated)
            }
            None => {
                super::users::create(conn, importer.actor, &tributary_domain::ids::new_id(), &fields, None).await?;
                Ok(Applied::Created)
            }
        }
    }
}

impl ApplyRow for Products {
    async fn apply(
        conn: &mut Conn<'_>,
        importer: &Importer<'_>,
        fields: tributary_domain::product::ProductFields,
    ) -> AppResult<Applied> {
        match products::by_sku(conn, &fields.sku).await? {
            Some(current) => {
                super::products::update(conn, importer.actor, &current, &fields).await?;
                Ok(Applied::Updated)
            }
            None => {
                super::products::create(conn, importer.actor, &tributary_domain::ids::new_id(), &fields).await?;
                Ok(Applied::Created)
            }
        }
    }
}

impl ApplyRow for Accounts {
    async fn apply(
        conn: &mut Conn<'_>,
        importer: &Importer<'_>,
        row: Upsert<tributary_domain::account::AccountFields>,
    ) -> AppResult<Applied> {
        let existing = match &row.id {
            Some(id) => accounts::get(conn, id).await?,
            None => None,
        };
        match existing {
            Some(current) => {
                super::accounts::update(conn, importer.actor, &current, &row.fields).await?;
                Ok(Applied::Updated)
            }
            None => {
                let id = row.id.unwrap_or_else(tributary_domain::ids::new_id);
                super::accounts::create(conn, importer.actor, &id, &row.fields).await?;
                Ok(Applied::Created)
            }
        }
    }
}

impl ApplyRow for Regions {
    async fn apply(
        conn: &mut Conn<'_>,
        importer: &Importer<'_>,
        fields: tributary_domain::geography::RegionFields,
    ) -> AppResult<Applied> {
        let existed = tributary_store::repo::regions::get(conn, &fields.code).await?.is_some();
        super::geography::save_region(conn, importer.actor, &fields).await?;
        Ok(if existed { Applied::Updated } else { Applied::Created })
    }
}

impl ApplyRow for Verticals {
    async fn apply(
        conn: &mut Conn<'_>,
        importer: &Importer<'_>,
        fields: tributary_domain::geography::VerticalFields,
    ) -> AppResult<Applied> {
        let existed = tributary_store::repo::verticals::get(conn, &fields.code)
            .await?
            .is_some();
        super::geography::save_vertical(conn, importer.actor, &fields).await?;
        Ok(if existed { Applied::Updated } else { Applied::Created })
    }
}

impl ApplyRow for FxRates {
    async fn apply(
        conn: &mut Conn<'_>,
        importer: &Importer<'_>,
        fields: tributary_domain::fx::FxRateFields,
    ) -> AppResult<Applied> {
        let date = fields.rate_date.format("%Y-%m-%d").to_string();
        let existed =
            tributary_store::repo::fx_rates::get(conn, fields.from_currency.code(), fields.to_currency.code(), &date)
                .await?
                .is_some();
        super::geography::save_fx_rate(conn, importer.actor, &fields).await?;
        Ok(if existed { Applied::Updated } else { Applied::Created })
    }
}
