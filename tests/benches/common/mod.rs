//! What the benchmark harnesses share: the measurement loop (cases alternating in rounds,
//! medians), the `bench-row` lines `cargo xtask bench` reads, and a deterministic generator of
//! monitoring-insights responses shaped like the generated `CraMonitoringInsightsGetResponse`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use serde_json::{json, Value};

/// Whether this is a real benchmark run: `cargo bench` passes `--bench` to a harness-less
/// target, `cargo test --benches` does not (and then a short smoke run is enough).
pub fn full_run() -> bool {
    std::env::args().any(|arg| arg == "--bench")
}

/// Runs every case once per round, `warmup` rounds unrecorded and then `rounds` recorded, and
/// returns each case's samples. The order of the cases rotates from one round to the next, so
/// that none of them always runs right after the same other one (caches, allocator state,
/// frequency scaling). A case returns the time it measured itself, so that it can leave setup
/// and dropping its result out of the figure.
pub fn alternate(warmup: usize, rounds: usize, cases: &mut [&mut dyn FnMut() -> Duration]) -> Vec<Vec<Duration>> {
    let mut samples = vec![Vec::with_capacity(rounds); cases.len()];
    for round in 0..warmup + rounds {
        for offset in 0..cases.len() {
            let case = (round + offset) % cases.len();
            let took = black_box((cases[case])());
            if round >= warmup {
                samples[case].push(took);
            }
        }
    }
    samples
}

/// Times one call of `f`, keeping its result alive (and opaque to the optimiser) until the
/// clock has stopped; the result is dropped afterwards, outside the measurement.
pub fn time<T>(f: impl FnOnce() -> T) -> Duration {
    let started = Instant::now();
    let value = black_box(f());
    let took = started.elapsed();
    drop(value);
    took
}

/// The median of `samples`.
pub fn median(samples: &[Duration]) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

/// The spread of `samples` as "min … max", for the human-readable log.
pub fn spread(samples: &[Duration]) -> String {
    let min = samples.iter().min().copied().unwrap_or_default();
    let max = samples.iter().max().copied().unwrap_or_default();
    format!("{:.3} … {:.3} ms", min.as_secs_f64() * 1e3, max.as_secs_f64() * 1e3)
}

/// Prints one result as `cargo xtask bench` parses it (`Row::from_line` in
/// `xtask/src/bench/mod.rs`): tab-separated, prefixed with `bench-row`, on stdout.
pub fn print_row(name: &str, measured: &str, baseline: &str, ratio: f64, target: &str) {
    println!("bench-row\t{name}\t{measured}\t{baseline}\t{ratio:.3}\t{target}");
}

/// A 64-bit linear congruential generator (Knuth's MMIX constants): deterministic data without
/// a `rand` dependency. Only the high bits are used, the low ones of an LCG being poor.
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Self {
        Lcg(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 32) as u32
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: u32, high: u32) -> u32 {
        low + self.next() % (high - low + 1)
    }

    /// True `percent` times out of a hundred.
    pub fn chance(&mut self, percent: u32) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, choices: &'a [T]) -> &'a T {
        &choices[self.next() as usize % choices.len()]
    }

    /// Letters and digits, as Plaid's item, account and transaction ids are.
    pub fn id(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..len).map(|_| *self.pick(ALPHABET) as char).collect()
    }

    pub fn uuid(&mut self) -> String {
        const HEX: &[u8] = b"0123456789abcdef";
        let mut hex = |n: usize| (0..n).map(|_| *self.pick(HEX) as char).collect::<String>();
        format!("{}-{}-4{}-a{}-{}", hex(8), hex(4), hex(3), hex(3), hex(12))
    }

    /// A digit string such as a mask, postal code or store number.
    pub fn digits(&mut self, len: usize) -> String {
        (0..len).map(|_| char::from(b'0' + self.between(0, 9) as u8)).collect()
    }

    /// An amount of money between the bounds (in cents), with at most two decimals, as the API
    /// sends amounts: a JSON number.
    pub fn money(&mut self, low_cents: u32, high_cents: u32) -> f64 {
        f64::from(self.between(low_cents, high_cents)) / 100.0
    }
}

/// How big a synthesized response is.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Items are added until the JSON is at least this long (and there is at least one).
    pub target_bytes: usize,
    pub accounts_per_item: (u32, u32),
    pub transactions_per_account: (u32, u32),
    pub daily_balances_per_account: (u32, u32),
}

impl Shape {
    /// A large report: dozens of Items with busy accounts, about `target_bytes` long.
    pub fn large(target_bytes: usize) -> Self {
        Shape {
            target_bytes,
            accounts_per_item: (1, 4),
            transactions_per_account: (20, 90),
            daily_balances_per_account: (30, 90),
        }
    }

    /// A report a single call typically returns: one Item, one or two accounts, a handful of
    /// transactions (a few kB).
    pub fn small() -> Self {
        Shape {
            target_bytes: 0,
            accounts_per_item: (1, 2),
            transactions_per_account: (3, 4),
            daily_balances_per_account: (2, 3),
        }
    }
}

/// What a synthesized response holds, to check that a decoder read all of it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub items: usize,
    pub accounts: usize,
    pub transactions: usize,
    /// The sum of all transaction amounts, in cents.
    pub transaction_cents: i64,
}

/// A monitoring-insights response of the given shape, serialized, and what it holds. The same
/// seed always gives the same bytes.
pub fn monitoring_insights(seed: u64, shape: Shape) -> (Vec<u8>, Totals) {
    let mut r = Lcg::new(seed);
    let mut totals = Totals::default();
    let mut items = Vec::new();
    let mut size = 0;
    while items.is_empty() || size < shape.target_bytes {
        let item = item(&mut r, shape, &mut totals);
        size += serde_json::to_vec(&item).expect("JSON").len() + 1;
        items.push(item);
    }
    let response = json!({
        "request_id": r.id(15),
        "user_insights_id": r.uuid(),
        "items": items,
    });
    (serde_json::to_vec(&response).expect("JSON"), totals)
}

/// The day the reports are generated, and from which their history counts back.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 30).expect("a date")
}

fn days_ago(days: u32) -> NaiveDate {
    today() - Days::new(u64::from(days))
}

fn date(days: u32) -> String {
    days_ago(days).format("%Y-%m-%d").to_string()
}

const INSTITUTIONS: &[(&str, &str)] = &[
    ("ins_482913", "First Platypus Bank"),
    ("ins_109508", "Tartan Bank"),
    ("ins_116243", "Houndstooth Credit Union"),
    ("ins_127989", "Gingham Federal Savings"),
    ("ins_300122", "Paisley National Bank"),
    ("ins_56", "Chevron Community Credit Union"),
];

const INCOME: &[(&str, &str)] = &[
    ("LUMENWORKS INC DIR DEP", "SALARY"),
    ("RIDEWISE DRIVER PAYOUT", "GIG_ECONOMY"),
    ("STATE OF OREGON UI BENEFIT", "UNEMPLOYMENT"),
    ("HIGH YIELD SAVINGS INTEREST", "BANK_INTEREST"),
    ("IRS TREAS 310 TAX REF", "TAX_REFUND"),
    ("MAPLE COURT APTS RENT", "RENTAL"),
    ("DFAS-CLEVELAND MIL PAY", "MILITARY"),
    ("FIDELITY PENSION PAYMENT", "RETIREMENT"),
];

/// A merchant: name, statement descriptor, personal finance category, legacy category and its
/// id, and transaction type.
struct Merchant {
    name: &'static str,
    descriptor: &'static str,
    primary: &'static str,
    detailed: &'static str,
    category: [&'static str; 2],
    category_id: &'static str,
    kind: &'static str,
}

const MERCHANTS: &[Merchant] = &[
    Merchant {
        name: "Greenleaf Grocers",
        descriptor: "POS DEBIT GREENLEAF GROCERS #0412 PORTLAND OR",
        primary: "FOOD_AND_DRINK",
        detailed: "FOOD_AND_DRINK_GROCERIES",
        category: ["Shops", "Supermarkets and Groceries"],
        category_id: "19047000",
        kind: "place",
    },
    Merchant {
        name: "Bean There Coffee",
        descriptor: "BEAN THERE COFFEE 0033 SEATTLE WA",
        primary: "FOOD_AND_DRINK",
        detailed: "FOOD_AND_DRINK_COFFEE",
        category: ["Food and Drink", "Coffee Shop"],
        category_id: "13005043",
        kind: "place",
    },
    Merchant {
        name: "Streamflix",
        descriptor: "STREAMFLIX.COM 866-579-7172 CA",
        primary: "ENTERTAINMENT",
        detailed: "ENTERTAINMENT_TV_AND_MOVIES",
        category: ["Service", "Subscription"],
        category_id: "18061000",
        kind: "digital",
    },
    Merchant {
        name: "Pacific Power",
        descriptor: "PACIFIC POWER ONLINE PMT WEB ID 1931225870",
        primary: "RENT_AND_UTILITIES",
        detailed: "RENT_AND_UTILITIES_GAS_AND_ELECTRICITY",
        category: ["Service", "Utilities"],
        category_id: "18068000",
        kind: "special",
    },
    Merchant {
        name: "Quikfuel",
        descriptor: "QUIKFUEL 5521 BEAVERTON OR",
        primary: "TRANSPORTATION",
        detailed: "TRANSPORTATION_GAS",
        category: ["Travel", "Gas Stations"],
        category_id: "22009000",
        kind: "place",
    },
    Merchant {
        name: "Gizmo Outlet",
        descriptor: "GIZMO OUTLET ONLINE 800-555-0199 NY",
        primary: "GENERAL_MERCHANDISE",
        detailed: "GENERAL_MERCHANDISE_ELECTRONICS",
        category: ["Shops", "Computers and Electronics"],
        category_id: "19013000",
        kind: "digital",
    },
    Merchant {
        name: "Sallie Loan Servicing",
        descriptor: "SALLIE LOAN SVC STUDENT LN PPD ID 5551234567",
        primary: "LOAN_PAYMENTS",
        detailed: "LOAN_PAYMENTS_STUDENT_LOAN_PAYMENT",
        category: ["Payment", "Loan"],
        category_id: "16003000",
        kind: "special",
    },
    Merchant {
        name: "Noodle Bar",
        descriptor: "SQ *NOODLE BAR PORTLAND OR",
        primary: "FOOD_AND_DRINK",
        detailed: "FOOD_AND_DRINK_RESTAURANT",
        category: ["Food and Drink", "Restaurants"],
        category_id: "13005000",
        kind: "place",
    },
];

const CITIES: &[(&str, &str, &str)] = &[
    ("Portland", "OR", "97214"),
    ("Seattle", "WA", "98101"),
    ("Beaverton", "OR", "97005"),
    ("Boise", "ID", "83702"),
    ("Sacramento", "CA", "95814"),
];

const STREETS: &[&str] = &["SE Hawthorne Blvd", "NW 23rd Ave", "Pike St", "Canyon Rd", "Main St", "Capitol Mall"];

const OWNERS: &[(&str, &str)] = &[
    ("Dana R. Whitlock", "dana.whitlock"),
    ("Alberta Bobbeth Charleson", "accountholder0"),
    ("Marcus Oyelaran", "m.oyelaran"),
    ("Priya Ramanathan", "priya.r"),
];

fn item(r: &mut Lcg, shape: Shape, totals: &mut Totals) -> Value {
    totals.items += 1;
    let (institution_id, institution_name) = *r.pick(INSTITUTIONS);
    let available = !r.chance(8);
    let status = if available {
        json!({"status_code": "AVAILABLE"})
    } else {
        json!({"status_code": "PENDING", "reason": "The Item is being refreshed; insights will be ready shortly."})
    };
    let insights = if available { insights(r) } else { Value::Null };
    let count = r.between(shape.accounts_per_item.0, shape.accounts_per_item.1);
    let accounts: Vec<Value> = (0..count).map(|_| account(r, shape, totals)).collect();
    json!({
        "date_generated": format!("2026-03-{:02}T{:02}:{:02}:{:02}Z", r.between(1, 30), r.between(0, 23), r.between(0, 59), r.between(0, 59)),
        "item_id": r.id(36),
        "institution_id": institution_id,
        "institution_name": institution_name,
        "status": status,
        "insights": insights,
        "accounts": accounts,
    })
}

/// `{baseline_amount, current_amount}` (the baseline is deprecated and sometimes left out).
fn amounts(r: &mut Lcg, low_cents: u32, high_cents: u32) -> Value {
    let current = r.money(low_cents, high_cents);
    if r.chance(70) {
        json!({"baseline_amount": r.money(low_cents, high_cents), "current_amount": current})
    } else {
        json!({"current_amount": current})
    }
}

fn counts(r: &mut Lcg, high: u32) -> Value {
    json!({"baseline_count": r.between(0, high), "current_count": r.between(0, high)})
}

fn insights(r: &mut Lcg) -> Value {
    let sources: Vec<Value> = (0..r.between(1, 3))
        .map(|_| {
            let (description, category) = *r.pick(INCOME);
            json!({
                "income_source_id": r.uuid(),
                "income_description": description,
                "income_category": category,
                "last_transaction_date": date(r.between(0, 40)),
            })
        })
        .collect();
    json!({
        "income": {
            "total_monthly_income": amounts(r, 150_000, 900_000),
            "income_sources_counts": counts(r, 4),
            "forecasted_monthly_income": amounts(r, 150_000, 900_000),
            "historical_annual_income": amounts(r, 1_800_000, 10_800_000),
            "income_sources": sources,
        },
        "loans": {
            "loan_payments_counts": counts(r, 6),
            "loan_disbursements_count": r.between(0, 2),
            "loan_payment_merchants_counts": counts(r, 3),
        },
    })
}

fn with_currency(amount: f64) -> Value {
    json!({"amount": amount, "iso_currency_code": "USD", "unofficial_currency_code": null})
}

fn account(r: &mut Lcg, shape: Shape, totals: &mut Totals) -> Value {
    totals.accounts += 1;
    let account_id = r.id(36);
    let (type_, subtype, name, official) = *r.pick(&[
        ("depository", "checking", "Everyday Checking", "Platypus Plus Interest Checking"),
        ("depository", "checking", "Everyday Checking", "Platypus Plus Interest Checking"),
        ("depository", "savings", "High Yield Savings", "Platypus High Yield Savings"),
        ("credit", "credit card", "Rewards Card", "Platypus Cash Rewards Visa Signature"),
        ("loan", "student", "Student Loan", "Federal Direct Unsubsidized Loan"),
    ]);
    let depository = type_ == "depository";
    let current = r.money(0, 2_500_000);
    let owner = *r.pick(OWNERS);

    let monthly: Vec<Value> = (0..3)
        .map(|month| {
            let start = NaiveDate::from_ymd_opt(2026, month + 1, 1).expect("a date");
            let end = NaiveDate::from_ymd_opt(2026, month + 2, 1).expect("a date") - Days::new(1);
            json!({
                "start_date": start.to_string(),
                "end_date": end.to_string(),
                "average_balance": with_currency(r.money(0, 2_500_000)),
            })
        })
        .collect();
    let balances = json!({
        "available": if type_ == "loan" { Value::Null } else { json!(r.money(0, 2_500_000)) },
        "current": current,
        "limit": if type_ == "credit" { json!(f64::from(r.between(10, 150) * 100)) } else { Value::Null },
        "iso_currency_code": "USD",
        "unofficial_currency_code": null,
        "last_updated_datetime": format!("2026-03-30T{:02}:{:02}:{:02}Z", r.between(0, 23), r.between(0, 59), r.between(0, 59)),
        "average_balance": r.money(0, 2_500_000),
        "average_monthly_balances": monthly,
        "most_recent_thirty_day_average_balance": r.money(0, 2_500_000),
    });

    let disputes: Vec<Value> = if r.chance(10) {
        vec![json!({
            "consumer_dispute_id": r.uuid(),
            "dispute_field_create_date": date(r.between(10, 80)),
            "category": r.pick(&["TRANSACTION", "BALANCE", "IDENTITY", "OTHER"]),
            "statement": "I did not authorize the February 11 charge from Gizmo Outlet and have reported it to my bank.",
        })]
    } else {
        Vec::new()
    };

    let count = r.between(shape.transactions_per_account.0, shape.transactions_per_account.1);
    let transactions: Vec<Value> =
        (0..count).map(|n| transaction(r, &account_id, owner.0, n * 90 / count.max(1), totals)).collect();

    let days = r.between(shape.daily_balances_per_account.0, shape.daily_balances_per_account.1);
    let mut balance = current;
    let historical: Vec<Value> = (0..days)
        .map(|day| {
            balance = ((balance + r.money(0, 20_000) - 100.0) * 100.0).round() / 100.0;
            json!({"date": date(day), "current": balance, "iso_currency_code": "USD", "unofficial_currency_code": null})
        })
        .collect();

    let (owner_name, owner_email) = owner;
    let (city, region, postal_code) = *r.pick(CITIES);
    let owners = json!([{
        "names": [owner_name],
        "phone_numbers": [
            {"data": format!("+1 503-555-{}", r.digits(4)), "primary": true, "type": "mobile"},
            {"data": format!("+1 503-555-{}", r.digits(4)), "primary": false, "type": "home"},
        ],
        "emails": [
            {"data": format!("{owner_email}@example.com"), "primary": true, "type": "primary"},
            {"data": format!("{owner_email}@work.example"), "primary": false, "type": "secondary"},
        ],
        "addresses": [{
            "data": {
                "city": city,
                "region": region,
                "street": format!("{} {}", r.between(100, 9999), r.pick(STREETS)),
                "postal_code": postal_code,
                "country": "US",
            },
            "primary": true,
        }],
    }]);

    let mut account = json!({
        "account_id": account_id,
        "balances": balances,
        "consumer_disputes": disputes,
        "mask": r.digits(4),
        "metadata": {"start_date": date(90), "end_date": date(0)},
        "name": name,
        "official_name": official,
        "type": type_,
        "subtype": subtype,
        "days_available": 90,
        "transactions": transactions,
        "owners": owners,
        "ownership_type": if r.chance(20) { "joint" } else { "individual" },
        "historical_balances": historical,
    });
    let fields = account.as_object_mut().expect("an object");
    if r.chance(50) {
        let flows = |r: &mut Lcg| -> Vec<Value> {
            (0..3)
                .map(|month| {
                    json!({
                        "start_date": date(90 - month * 30),
                        "end_date": date(61 - month * 30),
                        "count": r.between(2, 40),
                    })
                })
                .collect()
        };
        let averages = |r: &mut Lcg| -> Vec<Value> {
            (0..3)
                .map(|month| {
                    json!({
                        "start_date": date(90 - month * 30),
                        "end_date": date(61 - month * 30),
                        "total_amount": with_currency(r.money(1_000, 900_000)),
                    })
                })
                .collect()
        };
        fields.insert(
            "account_insights".into(),
            json!({
                "oldest_transaction_date": date(88),
                "most_recent_transaction_date": date(1),
                "days_available": 90,
                "average_days_between_transactions": f64::from(r.between(10, 90)) / 10.0,
                "longest_gaps_between_transactions": [{"start_date": date(60), "end_date": date(54), "days": 6}],
                "number_of_inflows": flows(r),
                "average_inflow_amounts": averages(r),
                "number_of_outflows": flows(r),
                "average_outflow_amounts": averages(r),
                "number_of_days_no_transactions": r.between(0, 30),
            }),
        );
    }
    let mut attributes = json!({
        "is_primary_account": r.chance(40),
        "primary_account_score": f64::from(r.between(0, 100)) / 100.0,
        "nsf_overdraft_transactions_count": r.between(0, 3),
        "nsf_overdraft_transactions_count_30d": 0,
        "nsf_overdraft_transactions_count_60d": r.between(0, 1),
        "nsf_overdraft_transactions_count_90d": r.between(0, 2),
    });
    if depository {
        let flows = attributes.as_object_mut().expect("an object");
        for direction in ["inflow", "outflow"] {
            for window in ["", "_30d", "_60d", "_90d"] {
                flows.insert(format!("total_{direction}_amount{window}"), with_currency(r.money(10_000, 3_000_000)));
            }
        }
    }
    fields.insert("attributes".into(), attributes);
    account
}

fn transaction(r: &mut Lcg, account_id: &str, owner: &str, days: u32, totals: &mut Totals) -> Value {
    let income = r.chance(8);
    let cents = if income { -i64::from(r.between(20_000, 400_000)) } else { i64::from(r.between(150, 25_000)) };
    totals.transactions += 1;
    totals.transaction_cents += cents;
    let merchant = r.pick(MERCHANTS);
    let (name, descriptor, primary, detailed, category, category_id, kind) = if income {
        let (description, _) = *r.pick(INCOME);
        (description, description, "INCOME", "INCOME_WAGES", ["Transfer", "Payroll"], "21009000", "special")
    } else {
        (
            merchant.name,
            merchant.descriptor,
            merchant.primary,
            merchant.detailed,
            merchant.category,
            merchant.category_id,
            merchant.kind,
        )
    };
    let currency = r.chance(98);
    let mut fields = json!({
        "account_id": account_id,
        "amount": cents as f64 / 100.0,
        "iso_currency_code": if currency { json!("USD") } else { Value::Null },
        "unofficial_currency_code": if currency { Value::Null } else { json!("USDC") },
        "original_description": descriptor,
        "credit_category": {"primary": primary, "detailed": detailed},
        "date": date(days),
        "date_transacted": date(days + r.between(0, 2)),
        "merchant_name": if income { Value::Null } else { json!(name) },
        "pending": days < 3 && r.chance(50),
        "account_owner": if r.chance(70) { json!(owner) } else { Value::Null },
        "transaction_id": r.id(36),
        "transaction_type": kind,
        "category": category,
        "category_id": category_id,
        "personal_finance_category": {
            "primary": primary,
            "detailed": detailed,
            "confidence_level": r.pick(&["VERY_HIGH", "HIGH", "MEDIUM"]),
            "version": if r.chance(60) { "v2" } else { "v1" },
        },
    });
    let object = fields.as_object_mut().expect("an object");
    if r.chance(85) {
        object.insert("name".into(), json!(name.to_uppercase()));
    }
    if r.chance(3) {
        object.insert("check_number".into(), json!(r.digits(4)));
    }
    if kind == "place" {
        let (city, region, postal_code) = *r.pick(CITIES);
        object.insert(
            "location".into(),
            json!({
                "address": format!("{} {}", r.between(100, 9999), r.pick(STREETS)),
                "city": city,
                "region": region,
                "postal_code": postal_code,
                "country": "US",
                "lat": f64::from(r.between(450_000, 475_000)) / 10_000.0,
                "lon": -f64::from(r.between(1_220_000, 1_230_000)) / 10_000.0,
                "store_number": r.digits(4),
            }),
        );
    } else if r.chance(50) {
        object.insert(
            "location".into(),
            json!({
                "address": null, "city": null, "region": null, "postal_code": null,
                "country": null, "lat": null, "lon": null, "store_number": null,
            }),
        );
    }
    fields
}
