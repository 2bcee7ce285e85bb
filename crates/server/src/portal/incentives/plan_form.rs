//! The incentive plan form: every field of a domain [`Plan`] as typed text — the plan's
//! settings, eligibility, transaction filter, measure, calculation (a rate, an amount per
//! unit, a table of bands or of bonus steps), tier multipliers, cap, holding period and
//! payee — read into a `Plan` in one place. Rates are typed as percentages ("3" for 3 %).
//! What stops the form being read, and what [`Plan::validate`] refuses, come back keyed by
//! the form's own field names (`calculation.bands[1]` → `band_2`), so each message is shown
//! next to its input and the form keeps what was typed.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;
use tributary_domain::incentives::{
    Band, BonusStep, Calculation, Eligibility, Measure, Payee, PeriodKind, Plan, PlanKind, TierLink, TransactionFilter,
};
use tributary_domain::money::{Currency, parse_decimal};
use tributary_domain::partner::PartnerType;
use tributary_domain::validation::FieldError;

use super::super::form::split_list;
use super::super::tiers::form::Fields;

/// One row of the bands table, as typed (`rate` in percent).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BandRow {
    pub from: String,
    pub to: String,
    pub rate: String,
}

/// One row of the bonus steps table, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StepRow {
    pub target: String,
    pub amount: String,
}

/// The plan form as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PlanForm {
    pub name: String,
    pub kind: String,
    pub currency: String,
    pub period: String,
    pub effective_from: String,
    pub effective_until: String,
    pub partner_types: Vec<String>,
    pub regions: Vec<String>,
    pub segment_id: String,
    /// The index of the lowest qualifying level of the plan's tier structure.
    pub minimum_tier: String,
    pub requires_agreement: bool,
    pub product_families: Vec<String>,
    /// SKUs separated by `;`.
    pub skus: String,
    pub customer_regions: Vec<String>,
    pub registered_deals_only: bool,
    pub new_customers_only: bool,
    pub measure: String,
    pub measure_name: String,
    pub calculation: String,
    /// The `rate` calculation's rate, in percent.
    pub rate: String,
    /// The `per_unit` calculation's amount per unit.
    pub unit_amount: String,
    pub bands: Vec<BandRow>,
    pub steps: Vec<StepRow>,
    pub tier_structure_id: String,
    /// One multiplier per level of the tier structure, lowest first (blank: 1).
    pub multipliers: Vec<String>,
    pub cap: String,
    pub holding_days: String,
    pub payee: String,
}

/// The codes of the measure select.
pub const MEASURES: [(&str, &str); 4] = [
    ("net_amount", "Net amount (sales minus returns)"),
    ("quantity", "Quantity (units sold minus returned)"),
    ("margin", "Margin (amount minus cost)"),
    ("custom_metric", "Sum of a custom metric's facts"),
];

/// The codes of the calculation select.
pub const CALCULATIONS: [(&str, &str); 5] = [
    ("rate", "Rate: measure × rate"),
    ("graduated", "Graduated: each band's rate on the part inside it"),
    (
        "retroactive",
        "Retroactive: the highest band reached, on the whole measure",
    ),
    ("per_unit", "Per unit: an amount per unit"),
    (
        "threshold_bonus",
        "Threshold bonus: the amount of the highest step reached",
    ),
];

/// A decimal as typed back into the form ("0.030" → "0.03").
fn text(value: Decimal) -> String {
    value.normalize().to_string()
}

/// A fraction as the percentage the form shows (0.025 → "2.5").
pub fn percent_text(rate: Decimal) -> String {
    text(rate * Decimal::ONE_HUNDRED)
}

fn parse_percent(value: &str) -> Result<Decimal, String> {
    if value.is_empty() {
        return Err("the rate is missing".into());
    }
    parse_decimal(value.trim_end_matches('%').trim()).map(|percent| percent / Decimal::ONE_HUNDRED)
}

fn parse_amount(value: &str, what: &str) -> Result<Decimal, String> {
    if value.is_empty() {
        return Err(format!("{what} is missing"));
    }
    parse_decimal(value)
}

impl PlanForm {
    /// A new plan: a quarterly commission in USD from the first day of this year, paid to
    /// the selling partner on its net amount at a flat rate.
    pub fn starter(today: NaiveDate) -> Self {
        Self {
            kind: PlanKind::Commission.as_str().into(),
            currency: "USD".into(),
            period: PeriodKind::Quarter.as_str().into(),
            effective_from: NaiveDate::from_ymd_opt(today.year(), 1, 1)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            measure: "net_amount".into(),
            calculation: "rate".into(),
            holding_days: "0".into(),
            payee: Payee::Reseller.as_str().into(),
            ..Default::default()
        }
    }

    /// The form of a stored plan.
    pub fn of(plan: &Plan) -> Self {
        let (measure, measure_name) = match &plan.measure {
            Measure::NetAmount => ("net_amount", String::new()),
            Measure::Quantity => ("quantity", String::new()),
            Measure::Margin => ("margin", String::new()),
            Measure::CustomMetric { name } => ("custom_metric", name.clone()),
        };
        let band_rows = |bands: &[Band]| {
            bands
                .iter()
                .map(|b| BandRow {
                    from: text(b.from),
                    to: b.to.map(text).unwrap_or_default(),
                    rate: percent_text(b.rate),
                })
                .collect()
        };
        let mut form = Self {
            name: plan.name.clone(),
            kind: plan.kind.as_str().into(),
            currency: plan.currency.code().into(),
            period: plan.period.as_str().into(),
            effective_from: plan.effective_from.to_string(),
            effective_until: plan.effective_until.map(|d| d.to_string()).unwrap_or_default(),
            partner_types: plan
                .eligibility
                .partner_types
                .iter()
                .map(|t| t.as_str().to_string())
                .collect(),
            regions: plan.eligibility.regions.clone(),
            segment_id: plan.eligibility.segment_id.clone().unwrap_or_default(),
            minimum_tier: plan.eligibility.minimum_tier.map(|l| l.to_string()).unwrap_or_default(),
            requires_agreement: plan.eligibility.requires_agreement,
            product_families: plan.filter.product_families.clone(),
            skus: plan.filter.skus.join("; "),
            customer_regions: plan.filter.customer_regions.clone(),
            registered_deals_only: plan.filter.registered_deals_only,
            new_customers_only: plan.filter.new_customers_only,
            measure: measure.into(),
            measure_name,
            tier_structure_id: plan.tier.as_ref().map(|t| t.structure_id.clone()).unwrap_or_default(),
            multipliers: plan
                .tier
                .as_ref()
                .map(|t| t.multipliers.iter().map(|m| text(*m)).collect())
                .unwrap_or_default(),
            cap: plan.cap.map(text).unwrap_or_default(),
            holding_days: plan.holding_days.to_string(),
            payee: plan.payee.as_str().into(),
            ..Default::default()
        };
        match &plan.calculation {
            Calculation::Rate { rate } => {
                form.calculation = "rate".into();
                form.rate = percent_text(*rate);
            }
            Calculation::PerUnit { amount } => {
                form.calculation = "per_unit".into();
                form.unit_amount = text(*amount);
            }
            Calculation::Graduated { bands } => {
                form.calculation = "graduated".into();
                form.bands = band_rows(bands);
            }
            Calculation::Retroactive { bands } => {
                form.calculation = "retroactive".into();
                form.bands = band_rows(bands);
            }
            Calculation::ThresholdBonus { steps } => {
                form.calculation = "threshold_bonus".into();
                form.steps = steps
                    .iter()
                    .map(|s| StepRow {
                        target: text(s.target),
                        amount: text(s.amount),
                    })
                    .collect();
            }
        }
        form
    }

    /// The form as submitted (ordered pairs, repeated names in order); blank table rows
    /// are dropped.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let fields = Fields::of(pairs);
        let checked = |name: &str| !fields.one(name).is_empty();
        Self {
            name: fields.one("name"),
            kind: fields.one("kind"),
            currency: fields.one("currency").to_ascii_uppercase(),
            period: fields.one("period"),
            effective_from: fields.one("effective_from"),
            effective_until: fields.one("effective_until"),
            partner_types: fields.all("partner_types"),
            regions: fields.all("regions"),
            segment_id: fields.one("segment_id"),
            minimum_tier: fields.one("minimum_tier"),
            requires_agreement: checked("requires_agreement"),
            product_families: split_list(&fields.all("product_families")),
            skus: fields.one("skus"),
            customer_regions: fields.all("customer_regions"),
            registered_deals_only: checked("registered_deals_only"),
            new_customers_only: checked("new_customers_only"),
            measure: fields.one("measure"),
            measure_name: fields.one("measure_name"),
            calculation: fields.one("calculation"),
            rate: fields.one("rate"),
            unit_amount: fields.one("unit_amount"),
            bands: fields
                .rows(&["band_from", "band_to", "band_rate"])
                .into_iter()
                .filter(|r| r.iter().any(|cell| !cell.is_empty()))
                .map(|r| BandRow {
                    from: r[0].clone(),
                    to: r[1].clone(),
                    rate: r[2].clone(),
                })
                .collect(),
            steps: fields
                .rows(&["step_target", "step_amount"])
                .into_iter()
                .filter(|r| r.iter().any(|cell| !cell.is_empty()))
                .map(|r| StepRow {
                    target: r[0].clone(),
                    amount: r[1].clone(),
                })
                .collect(),
            tier_structure_id: fields.one("tier_structure_id"),
            multipliers: fields
                .rows(&["multiplier"])
                .into_iter()
                .map(|mut r| r.remove(0))
                .collect(),
            cap: fields.one("cap"),
            holding_days: fields.one("holding_days"),
            payee: fields.one("payee"),
        }
    }

    /// The plan the form describes, or every problem keyed by the form's field names:
    /// first what cannot be read, then what [`Plan::validate`] refuses.
    pub fn parse(&self) -> Result<Plan, Vec<FieldError>> {
        let mut errors: Vec<FieldError> = Vec::new();
        let mut add = |field: &str, message: String| {
            errors.push(FieldError {
                field: field.into(),
                message,
            })
        };
        let kind = PlanKind::parse(&self.kind).map_err(|m| add("kind", m)).ok();
        let currency = Currency::parse(&self.currency).map_err(|m| add("currency", m)).ok();
        let period = PeriodKind::parse(&self.period).map_err(|m| add("period", m)).ok();
        let effective_from = tributary_domain::validation::date(&self.effective_from)
            .map_err(|m| add("effective_from", m))
            .ok();
        let effective_until = optional(&self.effective_until, tributary_domain::validation::date)
            .map_err(|m| add("effective_until", m))
            .ok();
        let payee = Payee::parse(&self.payee).map_err(|m| add("payee", m)).ok();
        let mut partner_types = Vec::new();
        for code in &self.partner_types {
            match PartnerType::parse(code) {
                Ok(t) => partner_types.push(t),
                Err(m) => add("partner_types", m),
            }
        }
        let minimum_tier = optional(&self.minimum_tier, |t| {
            t.parse::<usize>()
                .map_err(|_| format!("'{t}' is not a level of the tier structure"))
        })
        .map_err(|m| add("minimum_tier", m))
        .ok();
        let measure = match self.measure.as_str() {
            "net_amount" => Some(Measure::NetAmount),
            "quantity" => Some(Measure::Quantity),
            "margin" => Some(Measure::Margin),
            "custom_metric" => Some(Measure::CustomMetric {
                name: self.measure_name.clone(),
            }),
            other => {
                add("measure", format!("'{other}' is not a measure"));
                None
            }
        };
        let mut bands = Vec::new();
        for (i, row) in self.bands.iter().enumerate() {
            let parsed = (|| {
                Ok::<_, String>(Band {
                    from: parse_amount(&row.from, "'from'")?,
                    to: optional(&row.to, parse_decimal)?,
                    rate: parse_percent(&row.rate)?,
                })
            })();
            match parsed {
                Ok(band) => bands.push(band),
                Err(m) => add(&format!("band_{}", i + 1), m),
            }
        }
        let mut steps = Vec::new();
        for (i, row) in self.steps.iter().enumerate() {
            let parsed = (|| {
                Ok::<_, String>(BonusStep {
                    target: parse_amount(&row.target, "the target")?,
                    amount: parse_amount(&row.amount, "the amount")?,
                })
            })();
            match parsed {
                Ok(step) => steps.push(step),
                Err(m) => add(&format!("step_{}", i + 1), m),
            }
        }
        let calculation = match self.calculation.as_str() {
            "rate" => parse_percent(&self.rate)
                .map(|rate| Calculation::Rate { rate })
                .map_err(|m| add("rate", m))
                .ok(),
            "per_unit" => parse_amount(&self.unit_amount, "the amount per unit")
                .map(|amount| Calculation::PerUnit { amount })
                .map_err(|m| add("unit_amount", m))
                .ok(),
            "graduated" => Some(Calculation::Graduated { bands }),
            "retroactive" => Some(Calculation::Retroactive { bands }),
            "threshold_bonus" => Some(Calculation::ThresholdBonus { steps }),
            other => {
                add("calculation", format!("'{other}' is not a calculation"));
                None
            }
        };
        let tier = if self.tier_structure_id.is_empty() {
            if self.multipliers.iter().any(|m| !m.is_empty()) {
                add(
                    "multipliers",
                    "choose the tier structure the multipliers apply to".into(),
                );
            }
            None
        } else {
            let mut multipliers = Vec::new();
            for (level, typed) in self.multipliers.iter().enumerate() {
                match optional(typed, parse_decimal) {
                    Ok(m) => multipliers.push(m),
                    Err(m) => add("multipliers", format!("level {}: {m}", level + 1)),
                }
            }
            while multipliers.last().is_some_and(Option::is_none) {
                multipliers.pop();
            }
            Some(TierLink {
                structure_id: self.tier_structure_id.clone(),
                multipliers: multipliers.into_iter().map(|m| m.unwrap_or(Decimal::ONE)).collect(),
            })
        };
        let cap = optional(&self.cap, parse_decimal).map_err(|m| add("cap", m)).ok();
        let holding_days = if self.holding_days.is_empty() {
            Some(0)
        } else {
            self.holding_days
                .parse::<u32>()
                .map_err(|_| {
                    add(
                        "holding_days",
                        format!("'{}' is not a whole number of days", self.holding_days),
                    )
                })
                .ok()
        };
        let (
            Some(kind),
            Some(currency),
            Some(period),
            Some(effective_from),
            Some(effective_until),
            Some(payee),
            Some(minimum_tier),
            Some(measure),
            Some(calculation),
            Some(cap),
            Some(holding_days),
        ) = (
            kind,
            currency,
            period,
            effective_from,
            effective_until,
            payee,
            minimum_tier,
            measure,
            calculation,
            cap,
            holding_days,
        )
        else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let plan = Plan {
            name: self.name.clone(),
            kind,
            currency,
            period,
            effective_from,
            effective_until,
            eligibility: Eligibility {
                partner_types,
                regions: self.regions.clone(),
                segment_id: (!self.segment_id.is_empty()).then(|| self.segment_id.clone()),
                minimum_tier,
                requires_agreement: self.requires_agreement,
            },
            filter: TransactionFilter {
                product_families: self.product_families.clone(),
                skus: split_list(std::slice::from_ref(&self.skus)),
                customer_regions: self.customer_regions.clone(),
                registered_deals_only: self.registered_deals_only,
                new_customers_only: self.new_customers_only,
            },
            measure,
            calculation,
            tier,
            cap,
            holding_days,
            payee,
        };
        plan.validate().map_err(form_errors)?;
        Ok(plan)
    }
}

/// `None` for a blank value, else the parsed value.
fn optional<T>(value: &str, parse: impl Fn(&str) -> Result<T, String>) -> Result<Option<T>, String> {
    if value.is_empty() {
        Ok(None)
    } else {
        parse(value).map(Some)
    }
}

/// The form field a plan's field path is shown at: `calculation.bands[1]` → `band_2`,
/// `calculation.steps[0]` → `step_1`, `measure.name` → `measure_name`, `tier.structure_id`
/// → `tier_structure_id`, `calculation.amount` → `unit_amount`; other paths by their last
/// part (`eligibility.minimum_tier` → `minimum_tier`).
pub fn form_field(path: &str) -> String {
    let row = |prefix: &str, name: &str| {
        path.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(']'))
            .and_then(|index| index.parse::<usize>().ok())
            .map(|index| format!("{name}_{}", index + 1))
    };
    if let Some(field) = row("calculation.bands[", "band").or_else(|| row("calculation.steps[", "step")) {
        return field;
    }
    match path {
        "measure.name" => "measure_name".into(),
        "tier.structure_id" => "tier_structure_id".into(),
        "calculation.amount" => "unit_amount".into(),
        other => other.rsplit('.').next().unwrap_or(other).to_string(),
    }
}

/// Field errors of a plan (from validation or the service) keyed by the form's names.
pub fn form_errors(errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|e| FieldError {
            field: form_field(&e.field),
            message: e.message,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    /// A graduated plan as a browser submits it: three bands and a blank row, a tier
    /// structure with three levels (the last multiplier left blank), every filter.
    fn submitted() -> Vec<(String, String)> {
        pairs(&[
            ("name", "Resale commission"),
            ("kind", "commission"),
            ("currency", "usd"),
            ("period", "quarter"),
            ("effective_from", "2026-01-01"),
            ("effective_until", ""),
            ("partner_types", "reseller"),
            ("partner_types", "msp"),
            ("regions", "emea"),
            ("segment_id", ""),
            ("minimum_tier", "1"),
            ("requires_agreement", "true"),
            ("product_families", "Storage"),
            ("skus", "SKU-1; SKU-2"),
            ("customer_regions", "dach"),
            ("registered_deals_only", "true"),
            ("measure", "net_amount"),
            ("measure_name", ""),
            ("calculation", "graduated"),
            ("rate", ""),
            ("unit_amount", ""),
            ("band_from", "0"),
            ("band_to", "100000"),
            ("band_rate", "2"),
            ("band_from", "100000"),
            ("band_to", "250000"),
            ("band_rate", "3 %"),
            ("band_from", "250000"),
            ("band_to", ""),
            ("band_rate", "5"),
            ("band_from", ""),
            ("band_to", ""),
            ("band_rate", ""),
            ("step_target", ""),
            ("step_amount", ""),
            ("tier_structure_id", "program"),
            ("multiplier", "1"),
            ("multiplier", "1.2"),
            ("multiplier", ""),
            ("cap", "12000"),
            ("holding_days", "30"),
            ("payee", "reseller"),
        ])
    }

    #[test]
    fn the_form_reads_every_field_and_round_trips() {
        let form = PlanForm::from_pairs(&submitted());
        assert_eq!(form.bands.len(), 3, "the blank band row is dropped");
        assert!(form.steps.is_empty());
        let plan = form.parse().unwrap();
        assert_eq!(plan.currency.code(), "USD");
        assert_eq!(
            plan.eligibility.partner_types,
            [PartnerType::Reseller, PartnerType::Msp]
        );
        assert_eq!(plan.eligibility.minimum_tier, Some(1));
        assert!(plan.eligibility.requires_agreement);
        assert_eq!(plan.filter.skus, ["SKU-1", "SKU-2"]);
        assert!(plan.filter.registered_deals_only && !plan.filter.new_customers_only);
        let Calculation::Graduated { bands } = &plan.calculation else {
            panic!("{:?}", plan.calculation)
        };
        assert_eq!(
            bands.iter().map(|b| (b.from, b.to, b.rate)).collect::<Vec<_>>(),
            [
                (dec!(0), Some(dec!(100000)), dec!(0.02)),
                (dec!(100000), Some(dec!(250000)), dec!(0.03)),
                (dec!(250000), None, dec!(0.05))
            ]
        );
        let tier = plan.tier.as_ref().unwrap();
        assert_eq!(tier.multipliers, [dec!(1), dec!(1.2)], "trailing blanks are dropped");
        assert_eq!((plan.cap, plan.holding_days), (Some(dec!(12000)), 30));
        assert_eq!(PlanForm::of(&plan).parse().unwrap(), plan);
    }

    #[test]
    fn every_calculation_round_trips() {
        let mut plan = PlanForm::from_pairs(&submitted()).parse().unwrap();
        for calculation in [
            Calculation::Rate { rate: dec!(0.025) },
            Calculation::PerUnit { amount: dec!(12.5) },
            Calculation::Retroactive {
                bands: vec![
                    Band {
                        from: dec!(0),
                        to: Some(dec!(10)),
                        rate: dec!(0.01),
                    },
                    Band {
                        from: dec!(10),
                        to: None,
                        rate: dec!(0.015),
                    },
                ],
            },
            Calculation::ThresholdBonus {
                steps: vec![
                    BonusStep {
                        target: dec!(10),
                        amount: dec!(500),
                    },
                    BonusStep {
                        target: dec!(20),
                        amount: dec!(1250),
                    },
                ],
            },
        ] {
            plan.calculation = calculation;
            assert_eq!(PlanForm::of(&plan).parse().unwrap(), plan);
        }
        plan.measure = Measure::CustomMetric {
            name: "installations".into(),
        };
        plan.kind = PlanKind::Points;
        assert_eq!(PlanForm::of(&plan).parse().unwrap(), plan);
    }

    #[test]
    fn a_band_gap_is_shown_at_its_row() {
        let mut items = submitted();
        for (key, value) in items.iter_mut() {
            if key == "band_from" && value == "100000" {
                *value = "120000".into();
            }
        }
        let errors = PlanForm::from_pairs(&items).parse().unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].field, "band_1");
        assert!(errors[0].message.contains("100000"), "{}", errors[0].message);
    }

    #[test]
    fn unreadable_values_name_their_field_or_row() {
        let mut items = submitted();
        for (key, value) in items.iter_mut() {
            match (key.as_str(), value.as_str()) {
                ("band_rate", "5") => *value = "five".into(),
                ("multiplier", "1.2") => *value = "x".into(),
                ("cap", _) => *value = "lots".into(),
                ("holding_days", _) => *value = "-1".into(),
                ("currency", _) => *value = "XX".into(),
                _ => {}
            }
        }
        let errors = PlanForm::from_pairs(&items).parse().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["currency", "band_3", "multipliers", "cap", "holding_days"],
            "{errors:?}"
        );
        assert!(errors[2].message.starts_with("level 2:"), "{}", errors[2].message);
    }

    #[test]
    fn plan_paths_map_to_form_fields() {
        assert_eq!(form_field("calculation.bands[1]"), "band_2");
        assert_eq!(form_field("calculation.steps[0]"), "step_1");
        assert_eq!(form_field("calculation.bands"), "bands");
        assert_eq!(form_field("calculation.rate"), "rate");
        assert_eq!(form_field("calculation.amount"), "unit_amount");
        assert_eq!(form_field("measure.name"), "measure_name");
        assert_eq!(form_field("tier.structure_id"), "tier_structure_id");
        assert_eq!(form_field("tier.multipliers"), "multipliers");
        assert_eq!(form_field("eligibility.minimum_tier"), "minimum_tier");
        assert_eq!(form_field("name"), "name");
        let mut items = submitted();
        items.retain(|(k, _)| k != "tier_structure_id" && k != "multiplier");
        let mut form = PlanForm::from_pairs(&items);
        form.measure = "custom_metric".into();
        form.payee = "both".into();
        let fields: Vec<String> = form.parse().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["measure_name", "payee", "minimum_tier"]);
    }
}
