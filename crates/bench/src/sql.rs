//! The metric aggregation as plain SQL, the same text for DuckDB and PostgreSQL: integer
//! minor units summed per (partner, currency, day), joined to that day's rate (the latest
//! on or before it, forward-filled over a calendar) times the currency's minor unit, in
//! exact DECIMAL arithmetic; new customers from each account's first positive sale; the
//! latest certification count and agreement flag (last recorded on the latest day); CSAT
//! as an exact sum and count (the division is left to the comparison, in rust_decimal,
//! since SQL engines divide decimals to their own precision); marketing events summed
//! over the fiscal year.

use std::path::Path;

use chrono::NaiveDate;

/// The four tables' columns, for the peers' DDL.
pub const TABLES: [(&str, &str); 4] = [
    ("partners", "partner INTEGER, region VARCHAR"),
    (
        "sales",
        "partner INTEGER, day DATE, currency VARCHAR, amount_minor BIGINT, account INTEGER",
    ),
    ("rates", "currency VARCHAR, day DATE, rate DECIMAL(18,6)"),
    (
        "metric_facts",
        "seq BIGINT, partner INTEGER, metric VARCHAR, day DATE, value DECIMAL(18,2)",
    ),
];

const CURRENCIES_SQL: &str = "CREATE TABLE currencies (currency VARCHAR, unit DECIMAL(18,3));\n\
     INSERT INTO currencies VALUES ('USD', 0.01), ('EUR', 0.01), ('GBP', 0.01), ('JPY', 1), ('AUD', 0.01);\n";

/// The currencies with their minor unit, and a USD→USD rate of 1 (as the reference has).
pub fn reference_data() -> String {
    format!("{CURRENCIES_SQL}INSERT INTO rates VALUES ('USD', DATE '1900-01-01', 1);\n")
}

/// The four tables as views straight over the Parquet files in `dir` (rates gain the
/// USD→USD row through a union), with the currencies table.
pub fn parquet_views(dir: &Path) -> String {
    let mut sql = String::new();
    for (name, _) in TABLES {
        let source = format!("read_parquet('{}/{name}.parquet')", dir.display());
        let source = if name == "rates" {
            format!("(SELECT * FROM {source} UNION ALL SELECT 'USD', DATE '1900-01-01', 1)")
        } else {
            source
        };
        sql += &format!("CREATE VIEW {name} AS SELECT * FROM {source};\n");
    }
    sql + CURRENCIES_SQL
}

/// The windows of the benchmark program at its evaluation date.
pub struct Windows {
    /// First day of the trailing 12 months (net revenue, new customers, CSAT).
    pub trailing_first: NaiveDate,
    /// First day of the fiscal year (marketing events).
    pub fiscal_first: NaiveDate,
    pub last: NaiveDate,
}

/// One row per partner: partner, net_revenue, new_customers, certified, csat_sum,
/// csat_count, agreement, events.
pub fn metrics_query(w: &Windows) -> String {
    let (first, fiscal, last) = (w.trailing_first, w.fiscal_first, w.last);
    format!(
        "WITH calendar AS (
  SELECT c.currency, c.unit, CAST(g.d AS DATE) AS day
  FROM currencies c
  CROSS JOIN generate_series(TIMESTAMP '{first}', TIMESTAMP '{last}', INTERVAL '1 day') AS g(d)
),
day_rates AS MATERIALIZED (
  SELECT cal.currency, cal.day,
         cal.unit * (SELECT r.rate FROM rates r
                     WHERE r.currency = cal.currency AND r.day <= cal.day
                     ORDER BY r.day DESC LIMIT 1) AS rate_minor
  FROM calendar cal
),
daily AS (
  SELECT partner, currency, day, SUM(amount_minor) AS amount_minor
  FROM sales
  WHERE day BETWEEN DATE '{first}' AND DATE '{last}'
  GROUP BY partner, currency, day
),
revenue AS (
  SELECT d.partner, SUM(CAST(d.amount_minor AS DECIMAL(38,0)) * dr.rate_minor) AS net_revenue
  FROM daily d
  JOIN day_rates dr ON dr.currency = d.currency AND dr.day = d.day
  GROUP BY d.partner
),
first_sales AS (
  SELECT partner, account, MIN(day) AS first_day
  FROM sales
  WHERE amount_minor > 0
  GROUP BY partner, account
),
new_customers AS (
  SELECT partner, COUNT(*) AS new_customers
  FROM first_sales
  WHERE first_day BETWEEN DATE '{first}' AND DATE '{last}'
  GROUP BY partner
),
certified AS (
  SELECT DISTINCT ON (partner) partner, value AS certified
  FROM metric_facts
  WHERE metric = 'certified_people' AND day <= DATE '{last}'
  ORDER BY partner, day DESC, seq DESC
),
csat AS (
  SELECT partner, SUM(value) AS csat_sum, COUNT(*) AS csat_count
  FROM metric_facts
  WHERE metric = 'csat' AND day BETWEEN DATE '{first}' AND DATE '{last}'
  GROUP BY partner
),
agreement AS (
  SELECT DISTINCT ON (partner) partner, value AS agreement
  FROM metric_facts
  WHERE metric = 'agreement_accepted' AND day <= DATE '{last}'
  ORDER BY partner, day DESC, seq DESC
),
events AS (
  SELECT partner, SUM(value) AS events
  FROM metric_facts
  WHERE metric = 'marketing_events' AND day BETWEEN DATE '{fiscal}' AND DATE '{last}'
  GROUP BY partner
)
SELECT p.partner,
       COALESCE(r.net_revenue, 0) AS net_revenue,
       COALESCE(n.new_customers, 0) AS new_customers,
       c.certified,
       s.csat_sum,
       COALESCE(s.csat_count, 0) AS csat_count,
       a.agreement,
       COALESCE(e.events, 0) AS events
FROM partners p
LEFT JOIN revenue r ON r.partner = p.partner
LEFT JOIN new_customers n ON n.partner = p.partner
LEFT JOIN certified c ON c.partner = p.partner
LEFT JOIN csat s ON s.partner = p.partner
LEFT JOIN agreement a ON a.partner = p.partner
LEFT JOIN events e ON e.partner = p.partner"
    )
}
