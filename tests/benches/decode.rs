//! Decode speed of the generated response types against hand-written serde structs.
//!
//! A monitoring-insights response of about 5 MB (dozens of Items, each with accounts,
//! transactions, daily balances, owners and insights) is synthesized once from a fixed seed,
//! following the generated `CraMonitoringInsightsGetResponse` so that every required field is
//! there. The same bytes are then decoded with `serde_json::from_slice` into
//!
//! - the generated types (`plaid_client::types`): what a user of the generated crate gets;
//! - the baseline: the structs in [`handwritten`], what someone calling this endpoint by hand
//!   would write, covering the same fields with plain types;
//! - `serde_json::Value`, for scale (no target).
//!
//! The three decoders run in rounds, in an order that rotates from round to round; in each round
//! every decoder decodes the document once untimed and once timed (see [`primed`]). A decoder's
//! figure is its median time turned into throughput (MB/s, 10⁶ bytes); dropping the decoded
//! value is left out of the time. Before timing, each decoder's result is checked against what
//! was synthesized (Items, accounts, transactions, the sum of their amounts), so a decoder that
//! fails or skips data cannot produce a figure.
//!
//! This is `serde_json::from_slice` alone, which is also what the generated client does with a
//! response (it decodes again through `serde_path_to_error` only when that fails, to name the
//! path); the `client` harness measures whole calls.
//!
//! `cargo bench` runs the full measurement; `cargo test --benches` runs a small document for a
//! couple of rounds, only to check that everything still decodes.

#[allow(dead_code, reason = "each harness uses part of the shared module")]
mod common;

use std::hint::black_box;

use common::{alternate, full_run, median, monitoring_insights, print_row, spread, time, Shape, Totals};
use plaid_client::types::CraMonitoringInsightsGetResponse;
use rust_decimal::prelude::ToPrimitive;

/// The hand-written structs, for given types of money (`$amount`), dates and timestamps.
macro_rules! handwritten_structs {
    ($amount:ty, $date:ty, $datetime:ty) => {
        use serde::Deserialize;

        #[derive(Deserialize)]
        pub struct Response {
            pub request_id: String,
            pub user_insights_id: String,
            pub items: Vec<Item>,
        }

        #[derive(Deserialize)]
        pub struct Item {
            pub date_generated: $datetime,
            pub item_id: String,
            pub institution_id: String,
            pub institution_name: String,
            pub status: ItemStatus,
            pub insights: Option<Insights>,
            #[serde(default)]
            pub accounts: Vec<Account>,
        }

        #[derive(Deserialize)]
        pub struct ItemStatus {
            pub status_code: StatusCode,
            #[serde(default)]
            pub reason: Option<String>,
        }

        #[derive(Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum StatusCode {
            Available,
            Failed,
            Pending,
            #[serde(other)]
            Other,
        }

        #[derive(Deserialize)]
        pub struct Insights {
            pub income: Income,
            pub loans: Loans,
        }

        #[derive(Deserialize)]
        pub struct Income {
            pub total_monthly_income: Amounts,
            pub income_sources_counts: Counts,
            pub forecasted_monthly_income: Amounts,
            pub historical_annual_income: Amounts,
            pub income_sources: Vec<IncomeSource>,
        }

        #[derive(Deserialize)]
        pub struct Amounts {
            #[serde(default)]
            pub baseline_amount: Option<$amount>,
            pub current_amount: $amount,
        }

        #[derive(Deserialize)]
        pub struct Counts {
            #[serde(default)]
            pub baseline_count: Option<f64>,
            pub current_count: f64,
        }

        #[derive(Deserialize)]
        pub struct IncomeSource {
            pub income_source_id: String,
            pub income_description: String,
            pub income_category: IncomeCategory,
            pub last_transaction_date: $date,
        }

        #[derive(Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum IncomeCategory {
            Salary,
            Unemployment,
            Cash,
            GigEconomy,
            Rental,
            ChildSupport,
            Military,
            Retirement,
            LongTermDisability,
            BankInterest,
            CashDeposit,
            TransferFromApplication,
            TaxRefund,
            BenefitOther,
            #[serde(other)]
            Other,
        }

        #[derive(Deserialize)]
        pub struct Loans {
            pub loan_payments_counts: Counts,
            pub loan_disbursements_count: f64,
            pub loan_payment_merchants_counts: Counts,
        }

        #[derive(Deserialize)]
        pub struct Account {
            pub account_id: String,
            pub balances: Balances,
            pub consumer_disputes: Vec<Dispute>,
            pub mask: Option<String>,
            pub metadata: Metadata,
            pub name: String,
            pub official_name: Option<String>,
            #[serde(rename = "type")]
            pub type_: AccountType,
            pub subtype: Option<String>,
            pub days_available: f64,
            pub transactions: Vec<Transaction>,
            pub owners: Vec<Owner>,
            pub ownership_type: Option<String>,
            #[serde(default)]
            pub historical_balances: Vec<HistoricalBalance>,
            #[serde(default)]
            pub account_insights: Option<AccountInsights>,
            #[serde(default)]
            pub attributes: Option<Attributes>,
        }

        #[derive(Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum AccountType {
            Investment,
            Credit,
            Depository,
            Loan,
            Brokerage,
            #[serde(other)]
            Other,
        }

        #[derive(Deserialize)]
        pub struct Balances {
            pub available: Option<$amount>,
            pub current: Option<$amount>,
            pub limit: Option<$amount>,
            pub iso_currency_code: Option<String>,
            pub unofficial_currency_code: Option<String>,
            #[serde(default)]
            pub last_updated_datetime: Option<$datetime>,
            #[serde(default)]
            pub average_balance: Option<$amount>,
            #[serde(default)]
            pub average_monthly_balances: Vec<MonthlyBalance>,
            #[serde(default)]
            pub most_recent_thirty_day_average_balance: Option<$amount>,
        }

        #[derive(Deserialize)]
        pub struct MonthlyBalance {
            pub start_date: String,
            pub end_date: String,
            pub average_balance: Money,
        }

        #[derive(Deserialize)]
        pub struct Money {
            pub amount: $amount,
            pub iso_currency_code: Option<String>,
            pub unofficial_currency_code: Option<String>,
        }

        #[derive(Deserialize)]
        pub struct Dispute {
            pub consumer_dispute_id: String,
            pub dispute_field_create_date: $date,
            pub category: DisputeCategory,
            pub statement: String,
        }

        #[derive(Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum DisputeCategory {
            Transaction,
            Balance,
            Identity,
            #[serde(other)]
            Other,
        }

        #[derive(Deserialize)]
        pub struct Metadata {
            pub start_date: Option<$date>,
            pub end_date: Option<$date>,
        }

        #[derive(Deserialize)]
        pub struct Transaction {
            pub account_id: String,
            pub amount: $amount,
            pub iso_currency_code: Option<String>,
            pub unofficial_currency_code: Option<String>,
            #[serde(default)]
            pub name: Option<String>,
            pub original_description: Option<String>,
            #[serde(default)]
            pub credit_category: Option<Category>,
            #[serde(default)]
            pub check_number: Option<String>,
            pub date: $date,
            #[serde(default)]
            pub date_transacted: Option<String>,
            #[serde(default)]
            pub location: Option<Location>,
            #[serde(default)]
            pub merchant_name: Option<String>,
            pub pending: bool,
            #[serde(default)]
            pub account_owner: Option<String>,
            pub transaction_id: String,
            #[serde(default)]
            pub transaction_type: Option<TransactionType>,
            #[serde(default)]
            pub category: Vec<String>,
            #[serde(default)]
            pub category_id: Option<String>,
            #[serde(default)]
            pub personal_finance_category: Option<PersonalFinanceCategory>,
        }

        #[derive(Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum TransactionType {
            Digital,
            Place,
            Special,
            Unresolved,
            #[serde(other)]
            Other,
        }

        #[derive(Deserialize)]
        pub struct Category {
            pub primary: String,
            pub detailed: String,
        }

        #[derive(Deserialize)]
        pub struct PersonalFinanceCategory {
            pub primary: String,
            pub detailed: String,
            #[serde(default)]
            pub confidence_level: Option<String>,
            #[serde(default)]
            pub version: Option<String>,
        }

        #[derive(Deserialize)]
        pub struct Location {
            pub address: Option<String>,
            pub city: Option<String>,
            pub region: Option<String>,
            pub postal_code: Option<String>,
            pub country: Option<String>,
            pub lat: Option<f64>,
            pub lon: Option<f64>,
            pub store_number: Option<String>,
        }

        #[derive(Deserialize)]
        pub struct Owner {
            pub names: Vec<String>,
            pub phone_numbers: Vec<Contact>,
            pub emails: Vec<Contact>,
            pub addresses: Vec<Address>,
        }

        /// A phone number or an email address: the same three fields.
        #[derive(Deserialize)]
        pub struct Contact {
            pub data: String,
            pub primary: bool,
            #[serde(rename = "type")]
            pub type_: String,
        }

        #[derive(Deserialize)]
        pub struct Address {
            pub data: AddressData,
            #[serde(default)]
            pub primary: Option<bool>,
        }

        #[derive(Deserialize)]
        pub struct AddressData {
            pub city: Option<String>,
            pub region: Option<String>,
            pub street: String,
            pub postal_code: Option<String>,
            pub country: Option<String>,
        }

        #[derive(Deserialize)]
        pub struct HistoricalBalance {
            pub date: $date,
            pub current: $amount,
            pub iso_currency_code: Option<String>,
            pub unofficial_currency_code: Option<String>,
        }

        #[derive(Deserialize)]
        pub struct AccountInsights {
            #[serde(default)]
            pub oldest_transaction_date: Option<$date>,
            #[serde(default)]
            pub most_recent_transaction_date: Option<$date>,
            #[serde(default)]
            pub days_available: Option<i64>,
            #[serde(default)]
            pub average_days_between_transactions: Option<f64>,
            #[serde(default)]
            pub longest_gaps_between_transactions: Vec<Gap>,
            #[serde(default)]
            pub number_of_inflows: Vec<FlowCount>,
            #[serde(default)]
            pub average_inflow_amounts: Vec<FlowAmount>,
            #[serde(default)]
            pub number_of_outflows: Vec<FlowCount>,
            #[serde(default)]
            pub average_outflow_amounts: Vec<FlowAmount>,
            #[serde(default)]
            pub number_of_days_no_transactions: Option<i64>,
        }

        #[derive(Deserialize)]
        pub struct Gap {
            #[serde(default)]
            pub start_date: Option<$date>,
            #[serde(default)]
            pub end_date: Option<$date>,
            #[serde(default)]
            pub days: Option<i64>,
        }

        #[derive(Deserialize)]
        pub struct FlowCount {
            pub start_date: $date,
            pub end_date: $date,
            pub count: i64,
        }

        #[derive(Deserialize)]
        pub struct FlowAmount {
            pub start_date: $date,
            pub end_date: $date,
            pub total_amount: Money,
        }

        #[derive(Deserialize)]
        pub struct Attributes {
            #[serde(default)]
            pub is_primary_account: Option<bool>,
            #[serde(default)]
            pub primary_account_score: Option<f64>,
            #[serde(default)]
            pub nsf_overdraft_transactions_count: Option<i64>,
            #[serde(default)]
            pub nsf_overdraft_transactions_count_30d: Option<i64>,
            #[serde(default)]
            pub nsf_overdraft_transactions_count_60d: Option<i64>,
            #[serde(default)]
            pub nsf_overdraft_transactions_count_90d: Option<i64>,
            #[serde(default)]
            pub total_inflow_amount: Option<Money>,
            #[serde(default)]
            pub total_inflow_amount_30d: Option<Money>,
            #[serde(default)]
            pub total_inflow_amount_60d: Option<Money>,
            #[serde(default)]
            pub total_inflow_amount_90d: Option<Money>,
            #[serde(default)]
            pub total_outflow_amount: Option<Money>,
            #[serde(default)]
            pub total_outflow_amount_30d: Option<Money>,
            #[serde(default)]
            pub total_outflow_amount_60d: Option<Money>,
            #[serde(default)]
            pub total_outflow_amount_90d: Option<Money>,
        }

        /// What these structs decoded.
        pub fn totals(response: &Response) -> crate::Totals {
            let accounts = response.items.iter().flat_map(|item| &item.accounts);
            let transactions = accounts.clone().flat_map(|account| &account.transactions);
            crate::Totals {
                items: response.items.len(),
                accounts: accounts.count(),
                transactions: transactions.clone().count(),
                transaction_cents: transactions.map(|t| crate::Cents::cents(&t.amount)).sum(),
            }
        }
    };
}

/// Structs as a person would write them for this endpoint, by reading the API's documentation:
/// every documented field. In [`handwritten`] the types are plain: money is `f64`, dates and
/// timestamps are `String`; in [`handwritten_typed`] they are the generated crate's own
/// (`rust_decimal::Decimal` for money, chrono for dates), so that the comparison with it
/// measures only what the generated types add: keeping unknown fields and enum values. Both:
/// nullable or optional fields are `Option` (with `#[serde(default)]` where a field may be
/// absent). Short, stable enums are Rust enums with a `#[serde(other)]` catch-all so that a new
/// value does not break decoding; long or open-ended ones (account subtype, phone and email
/// types, confidence level) are `String`. Undeclared properties are skipped rather than kept,
/// and nothing is checked beyond what serde does. Some fields are read only by the decoder,
/// hence the `dead_code` allowance.
#[allow(dead_code)]
mod handwritten {
    handwritten_structs!(f64, String, String);
}

/// The same structs with the value types the generated crate uses (see [`handwritten`]).
#[allow(dead_code)]
mod handwritten_typed {
    handwritten_structs!(rust_decimal::Decimal, chrono::NaiveDate, chrono::DateTime<chrono::Utc>);
}

/// An amount of money in whole cents.
trait Cents {
    fn cents(&self) -> i64;
}

impl Cents for f64 {
    fn cents(&self) -> i64 {
        (self * 100.0).round() as i64
    }
}

impl Cents for rust_decimal::Decimal {
    fn cents(&self) -> i64 {
        (self * rust_decimal::Decimal::ONE_HUNDRED).to_i64().expect("cents fit")
    }
}

/// What the generated types decoded.
fn generated_totals(response: &CraMonitoringInsightsGetResponse) -> Totals {
    let accounts = response.items.iter().flat_map(|item| item.accounts.iter().flatten());
    let transactions = accounts.clone().flat_map(|account| &account.transactions);
    Totals {
        items: response.items.len(),
        accounts: accounts.count(),
        transactions: transactions.clone().count(),
        transaction_cents: transactions
            .map(|t| (t.amount * rust_decimal::Decimal::ONE_HUNDRED).to_i64().expect("cents fit"))
            .sum(),
    }
}

/// What `serde_json::Value` decoded.
fn value_totals(response: &serde_json::Value) -> Totals {
    let items = response["items"].as_array().expect("items");
    let accounts = items.iter().flat_map(|item| item["accounts"].as_array().expect("accounts"));
    let transactions = accounts.clone().flat_map(|account| account["transactions"].as_array().expect("transactions"));
    Totals {
        items: items.len(),
        accounts: accounts.count(),
        transactions: transactions.clone().count(),
        transaction_cents: transactions.map(|t| (t["amount"].as_f64().expect("amount") * 100.0).round() as i64).sum(),
    }
}

/// A case that decodes once untimed, then once timed, so that each decoder is timed in the heap
/// state its own decoding leaves, as in a program that decodes this response repeatedly. Without
/// the untimed decode the figures depend on the order of the cases: right after a
/// `serde_json::Value` of this document has been dropped (a few hundred thousand small
/// allocations freed in tree order), the next decode runs up to 1.7× slower, whichever decoder
/// it is (measured: generated types 17 → 27 ms, hand-written 13 → 22 ms). `Value` itself is
/// timed after a `Value` has been dropped, so its figure is the slower steady state (about
/// 36 ms, against 21 ms after a typed decode).
fn primed<T>(decode: impl Fn() -> T) -> impl FnMut() -> std::time::Duration {
    move || {
        drop(black_box(decode()));
        time(&decode)
    }
}

fn throughput(bytes: usize, took: std::time::Duration) -> f64 {
    bytes as f64 / took.as_secs_f64() / 1e6
}

fn main() {
    let full = full_run();
    let (shape, warmup, rounds) = if full { (Shape::large(5_000_000), 2, 50) } else { (Shape::large(150_000), 0, 2) };
    let (json, expected) = monitoring_insights(0x00C0_FFEE, shape);
    let bytes = json.len();
    eprintln!(
        "decode: {:.2} MB of JSON, {} items, {} accounts, {} transactions; {rounds} rounds",
        bytes as f64 / 1e6,
        expected.items,
        expected.accounts,
        expected.transactions
    );

    // Every decoder must read the whole document before any of them is timed.
    let generated: CraMonitoringInsightsGetResponse = match serde_json::from_slice(&json) {
        Ok(response) => response,
        Err(error) => panic!("the synthesized response does not decode into the generated types: {error}"),
    };
    assert_eq!(generated_totals(&generated), expected, "generated types");
    assert!(generated.items.iter().all(|item| item.extra.is_empty()), "no undeclared property was synthesized");
    drop(generated);
    let handwritten: handwritten::Response = serde_json::from_slice(&json).expect("hand-written structs decode");
    assert_eq!(handwritten::totals(&handwritten), expected, "hand-written structs");
    drop(handwritten);
    let typed: handwritten_typed::Response = serde_json::from_slice(&json).expect("typed hand-written structs decode");
    assert_eq!(handwritten_typed::totals(&typed), expected, "hand-written structs, typed");
    drop(typed);
    let value: serde_json::Value = serde_json::from_slice(&json).expect("Value decodes");
    assert_eq!(value_totals(&value), expected, "serde_json::Value");
    drop(value);

    let input = black_box(json.as_slice());
    let mut generated = primed(|| serde_json::from_slice::<CraMonitoringInsightsGetResponse>(input).expect("decodes"));
    let mut handwritten = primed(|| serde_json::from_slice::<handwritten::Response>(input).expect("decodes"));
    let mut typed = primed(|| serde_json::from_slice::<handwritten_typed::Response>(input).expect("decodes"));
    let mut value = primed(|| serde_json::from_slice::<serde_json::Value>(input).expect("decodes"));
    let samples = alternate(warmup, rounds, &mut [&mut generated, &mut handwritten, &mut typed, &mut value]);

    let names = ["generated types", "hand-written structs", "hand-written, typed", "serde_json::Value"];
    let speeds: Vec<f64> = samples.iter().map(|case| throughput(bytes, median(case))).collect();
    for ((name, case), speed) in names.iter().zip(&samples).zip(&speeds) {
        eprintln!("  {name:<22} {speed:>8.1} MB/s  (median of {}; per decode {})", case.len(), spread(case));
    }
    let mbs = |speed: f64| format!("{speed:.0} MB/s");
    let (generated, handwritten, typed, value) = (speeds[0], speeds[1], speeds[2], speeds[3]);
    // The targets (issue 22): what keeping unknown fields and enum values costs, the value types
    // being the same, and what the value types cost on top.
    print_row(
        "decode: generated types vs hand-written, same value types",
        &mbs(generated),
        &format!("{} (Decimal, chrono)", mbs(typed)),
        generated / typed,
        "≥ 1.0×",
    );
    print_row(
        "decode: generated types vs hand-written, plain types",
        &mbs(generated),
        &format!("{} (f64, String)", mbs(handwritten)),
        generated / handwritten,
        "≥ 0.9×",
    );
    print_row("decode: serde_json::Value", &mbs(value), &mbs(handwritten), value / handwritten, "");
}
