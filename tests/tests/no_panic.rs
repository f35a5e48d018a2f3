//! The generator never panics, never hangs and never emits invalid Rust, whatever spec it is given.
//!
//! Two property tests, run by proptest with a fixed RNG seed so that every run tries the same cases:
//!
//! - `mutated_specs_never_panic` starts from every fixture spec, from a Swagger 2.0 and an OpenAPI 3.1 seed
//!   written here, and from trimmed copies of real specs when `../shared/specs` exists beside the workspace (Plaid,
//!   3.0; from `dev-next/`, Adyen's session authentication, 3.1, and etcd, 2.0), applies 1–8 structural mutations
//!   at random nodes — deleted keys, nodes swapped for other types, unknown `type`s, dangling and cyclic `$ref`s,
//!   awkward names, duplicate enum values, `nullable` and composition wrappers, required properties that do not
//!   exist, bogus discriminators, odd defaults, constraints and doc text, 3.1 constructs (type lists, `const`,
//!   `$defs`, `prefixItems`, references with siblings, …) and 2.0 ones (`in: body`, `formData`, `collectionFormat`,
//!   security definitions, …) — and generates from the result.
//! - `arbitrary_text_never_panics` feeds random text, YAML-ish token soup after an `openapi: 3.0.0`,
//!   `openapi: 3.1.0` or `swagger: '2.0'` header, and the seed texts cut, spliced and re-indented at random byte
//!   offsets.
//!
//! Every generation runs on its own thread under `catch_unwind` with a deadline and must end in `Ok`, a syntax
//! error, or spec errors that each carry a JSON pointer (`#…`) and a message. A panic on any thread of the
//! generator (even one the generator catches), `Error::Internal` (the generator emitted invalid Rust), or a call
//! past the deadline fails the test and prints the spec. A sample of the cases is generated twice to check that
//! the output is deterministic.
//!
//! `NO_PANIC_CASES` sets the number of cases of each property (default 256), `NO_PANIC_SEED` (a number) the RNG
//! seed. The spec of the case being run is kept in `target/tmp/no_panic-*-current.yaml`, so even a crash that
//! takes the process down (a stack overflow) leaves it behind.
//!
//! The smallest specs of the bugs these properties found are kept as regression tests at the end of this file.

use std::any::Any;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex, MutexGuard, OnceLock, PoisonError, RwLock};
use std::time::{Duration, Instant};

use generator::{Error, Options};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};
use serde_yaml::{Mapping, Value};

/// Cases of each property when `NO_PANIC_CASES` is not set: enough to cover every mutation on every seed, few
/// enough that a debug `cargo test` stays quick.
const DEFAULT_CASES: u32 = 256;
/// How long one generation may take before it counts as a hang (debug builds are slow; a trimmed Plaid seed
/// takes well under a second even there).
const DEADLINE: Duration = Duration::from_secs(10);
/// Every this many cases, the spec is generated a second time and the two results compared.
const DETERMINISM_EVERY: usize = 8;
/// How many of a real spec's paths its trimmed seed keeps.
const TRIMMED_PATHS: usize = 15;
/// Subtrees larger than this (in nodes) are not copied, so that repeated copies cannot blow a spec up.
const MAX_COPIED_NODES: usize = 300;

// ---------------------------------------------------------------------------------------------------------------
// Running the generator
// ---------------------------------------------------------------------------------------------------------------

type Generated = Result<generator::Generated, Error>;

fn options() -> Options {
    Options { crate_name: Some("fuzz-client".into()), spec_label: "fuzz.yaml".into(), ..Options::default() }
}

/// The name of the threads that run the generator; their panics are reported by the test, not printed.
const GENERATOR_THREAD: &str = "generate";

thread_local! {
    /// Where and why the current generator thread panicked, as the panic hook saw it.
    static PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The panics of unnamed threads, as the panic hook saw them: those are the threads the generator spawns (the
/// test harness names its threads after the tests, and the main thread is `main`). Such a panic cannot say which
/// generation it belongs to when tests run at the same time; see [`run_generator`].
static OTHER_PANICS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Every generation holds this shared; one that must know which panics are its own holds it alone.
static ALONE: RwLock<()> = RwLock::new(());

/// Installs (once) a panic hook that keeps the panics of generator threads quiet, remembering them instead: a
/// failing case is shrunk over many runs, and each would print a panic message and a backtrace.
fn quiet_generator_panics() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| match std::thread::current().name() {
            Some(GENERATOR_THREAD) => PANIC.with(|panic| *panic.borrow_mut() = Some(info.to_string())),
            None => other_panics().push(format!("on an unnamed thread: {info}")),
            Some(_) => default(info),
        }));
    });
}

fn other_panics() -> MutexGuard<'static, Vec<String>> {
    OTHER_PANICS.lock().unwrap_or_else(PoisonError::into_inner)
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(described) = PANIC.with(|panic| panic.borrow_mut().take()) {
        described
    } else if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "(a panic payload that is not a string)".to_owned()
    }
}

/// Generates from `text` on a thread of its own; `Err` describes a panic (on any thread of the generator, caught
/// or not) or a hang.
///
/// Generations run side by side (the properties are tests of their own), so when an unnamed thread panicked
/// during one, the spec is generated again with no other generation running: only the panics of that run are
/// this spec's.
fn run_generator(text: &str) -> Result<Generated, String> {
    quiet_generator_panics();
    let (outcome, others_panicked) = {
        let _shared = ALONE.read().unwrap_or_else(PoisonError::into_inner);
        let before = other_panics().len();
        let outcome = generate_on_thread(text);
        (outcome, other_panics().len() != before)
    };
    if !others_panicked {
        return outcome;
    }
    let _alone = ALONE.write().unwrap_or_else(PoisonError::into_inner);
    let before = other_panics().len();
    let outcome = generate_on_thread(text);
    let panics = other_panics().split_off(before);
    if panics.is_empty() {
        return outcome;
    }
    let panics = panics.join("\n");
    match outcome {
        Err(problem) => Err(format!("{problem}\nand a thread of the generator panicked {panics}")),
        Ok(_) => Err(format!("a thread of the generator panicked (the generator caught it) {panics}")),
    }
}

fn generate_on_thread(text: &str) -> Result<Generated, String> {
    let (sender, receiver) = mpsc::channel();
    let text = text.to_owned();
    let thread = std::thread::Builder::new()
        .name(GENERATOR_THREAD.into())
        .spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(|| {
                generator::generate_from_text(Path::new("fuzz.yaml"), &text, &options())
            }));
            // The receiver is gone only if the test already gave up on this call.
            let _ = sender.send(result.map_err(|payload| panic_message(payload.as_ref())));
        })
        .expect("a thread can be spawned");
    match receiver.recv_timeout(DEADLINE) {
        Ok(outcome) => {
            let _ = thread.join();
            outcome.map_err(|message| format!("the generator panicked: {message}"))
        }
        // The thread is left running: there is no way to stop it, and the test fails anyway.
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!("the generator did not return within {DEADLINE:?}")),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err("the generator thread ended without an answer".to_owned()),
    }
}

/// Whether a result is acceptable: `Ok`, or an error about the input that says where the problem is.
fn judge(result: &Generated) -> Result<(), String> {
    match result {
        Ok(generated) => match generated.warnings.iter().find(|warning| !warning.pointer.starts_with('#')) {
            Some(warning) => Err(format!("a warning has a pointer that does not start with `#`: {warning:?}")),
            None => Ok(()),
        },
        Err(Error::Syntax { .. }) | Err(Error::Read { .. }) => Ok(()),
        Err(Error::Spec { errors, .. }) => {
            if errors.is_empty() {
                return Err("Error::Spec carries no SpecError".to_owned());
            }
            for error in errors {
                if !error.pointer.starts_with('#') {
                    return Err(format!("a spec error has a pointer that does not start with `#`: {error:?}"));
                }
                if error.message.trim().is_empty() {
                    return Err(format!("a spec error has an empty message: {error:?}"));
                }
            }
            Ok(())
        }
        Err(error @ Error::Internal { .. }) => Err(format!("the generator emitted invalid Rust: {error}")),
        Err(error) => Err(format!("unexpected error for an in-memory spec: {error:?}")),
    }
}

fn same(first: &Generated, second: &Generated) -> bool {
    match (first, second) {
        (Ok(first), Ok(second)) => first == second,
        (Err(first), Err(second)) => format!("{first:?}") == format!("{second:?}"),
        _ => false,
    }
}

fn tmp_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

/// Generates from `text` (twice when `twice`) and checks the outcome; `Err` is the failure report, spec included.
fn check(label: &str, text: &str, twice: bool) -> Result<Generated, String> {
    // Kept on disk before the call, so that a crash of the whole process still leaves the spec behind.
    let _ = std::fs::write(tmp_file(&format!("no_panic-{label}-current.yaml")), text);
    let outcome = run_generator(text).and_then(|first| {
        judge(&first)?;
        if twice {
            let second = run_generator(text)?;
            if !same(&first, &second) {
                return Err("generating the same spec twice gave different results".to_owned());
            }
        }
        Ok(first)
    });
    outcome.map_err(|problem| {
        let saved = tmp_file(&format!("no_panic-{label}-failure.yaml"));
        let _ = std::fs::write(&saved, text);
        if text.len() <= 20_000 {
            format!(
                "{problem}\n--- spec ({} bytes, also in {}) ---\n{text}\n--- end of spec ---",
                text.len(),
                saved.display()
            )
        } else {
            format!("{problem}\n--- spec of {} bytes written to {} ---", text.len(), saved.display())
        }
    })
}

/// Prints a line to the process's stderr directly, not through `eprintln!`, which the test harness captures and
/// shows only for failing tests: the number of cases run should be in every CI log.
fn report(line: String) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

fn cases() -> u32 {
    match std::env::var("NO_PANIC_CASES") {
        Ok(cases) => cases.trim().parse().unwrap_or_else(|_| panic!("NO_PANIC_CASES is not a number: {cases:?}")),
        Err(_) => DEFAULT_CASES,
    }
}

/// A runner with a fixed seed (`NO_PANIC_SEED` to vary it), and a description of that seed.
fn runner(cases: u32) -> (TestRunner, String) {
    let (seed, label) = match std::env::var("NO_PANIC_SEED") {
        Ok(text) => {
            let number: u64 = text.trim().parse().unwrap_or_else(|_| panic!("NO_PANIC_SEED is not a number: {text:?}"));
            let mut seed = [0u8; 32];
            seed[..8].copy_from_slice(&number.to_le_bytes());
            (seed, format!("NO_PANIC_SEED={number}"))
        }
        Err(_) => ([7u8; 32], "the default seed".to_owned()),
    };
    let config = Config {
        cases,
        failure_persistence: None,
        rng_algorithm: RngAlgorithm::ChaCha,
        // A failing case is shrunk, but not forever: each step may be a hang that waits for the deadline.
        max_shrink_iters: 2_000,
        max_shrink_time: 120_000,
        ..Config::default()
    };
    (TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed)), label)
}

/// How a case ended, for the summary.
#[derive(Clone, Copy)]
enum Outcome {
    Generated,
    SpecErrors,
    SyntaxError,
}

fn outcome_of(result: &Generated) -> Outcome {
    match result {
        Ok(_) => Outcome::Generated,
        Err(Error::Spec { .. }) => Outcome::SpecErrors,
        Err(_) => Outcome::SyntaxError,
    }
}

/// Runs `test` over `strategy` (its second argument says whether to check determinism too) and panics with the
/// minimal failing case, or prints how many cases ran and how they ended.
fn run_property<S: Strategy>(name: &str, strategy: S, test: impl Fn(S::Value, bool) -> Result<Outcome, String>) {
    let cases = cases();
    let (mut runner, seed) = runner(cases);
    let calls = AtomicUsize::new(0);
    let tally: [AtomicUsize; 3] = Default::default();
    let started = Instant::now();
    let result = runner.run(&strategy, |case| {
        let n = calls.fetch_add(1, Ordering::Relaxed);
        let outcome = test(case, n % DETERMINISM_EVERY == 0).map_err(TestCaseError::fail)?;
        tally[outcome as usize].fetch_add(1, Ordering::Relaxed);
        Ok(())
    });
    let elapsed = started.elapsed().as_secs_f64();
    match result {
        Ok(()) => {
            let [generated, spec, syntax] = tally.map(AtomicUsize::into_inner);
            report(format!(
                "no_panic: {name}: {cases} cases passed in {elapsed:.1} s ({seed}; every {DETERMINISM_EVERY}th \
                 generated twice): {generated} generated, {spec} spec errors, {syntax} syntax errors"
            ));
        }
        Err(TestError::Fail(reason, case)) => {
            panic!(
                "{name}: a case failed ({seed}, {} runs with shrinking):\n{reason}\nminimal case: {case:?}",
                calls.into_inner()
            )
        }
        Err(TestError::Abort(reason)) => panic!("{name}: proptest gave up ({seed}): {reason}"),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Seeds
// ---------------------------------------------------------------------------------------------------------------

struct Seed {
    name: String,
    value: Value,
    text: String,
}

/// A Swagger 2.0 seed: body, form and file parameters, collection formats, shared parameters and responses,
/// definitions with composition and a string discriminator, and each kind of security definition.
const SWAGGER2_SEED: &str = r##"swagger: "2.0"
info: {title: Store (Swagger 2.0 seed), version: "2"}
host: store.example.test
basePath: /api
schemes: [https, http]
consumes: [application/json]
produces: [application/json]
securityDefinitions:
  basic: {type: basic}
  key: {type: apiKey, in: query, name: api_key}
  oauth:
    type: oauth2
    flow: accessCode
    authorizationUrl: https://store.example.test/authorize
    tokenUrl: https://store.example.test/token
    scopes: {read: Read things, write: Write things}
security:
  - key: []
parameters:
  Limit: {name: limit, in: query, type: integer, format: int32, minimum: 1, maximum: 50, default: 10}
  ItemId: {name: itemId, in: path, required: true, type: string}
responses:
  Problem:
    description: Something went wrong.
    schema: {$ref: "#/definitions/Problem"}
paths:
  /items:
    get:
      operationId: listItems
      tags: [items]
      parameters:
        - $ref: "#/parameters/Limit"
        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: csv}
        - {name: ids, in: query, type: array, items: {type: integer, format: int64}, collectionFormat: multi}
        - {name: sizes, in: query, type: array, items: {type: string, enum: [s, m, l]}, collectionFormat: pipes}
        - {name: X-Trace, in: header, type: array, items: {type: string}, collectionFormat: tsv}
      responses:
        "200":
          description: The items.
          headers:
            X-Next: {type: string, description: The next page.}
          schema:
            type: array
            items: {$ref: "#/definitions/Item"}
        default: {$ref: "#/responses/Problem"}
    post:
      operationId: createItem
      tags: [items]
      security:
        - oauth: [write]
      parameters:
        - name: item
          in: body
          required: true
          schema: {$ref: "#/definitions/NewItem"}
      responses:
        "201":
          description: Created.
          schema: {$ref: "#/definitions/Item"}
  /items/{itemId}:
    parameters:
      - $ref: "#/parameters/ItemId"
    get:
      operationId: getItem
      tags: [items]
      parameters:
        - {name: fields, in: query, type: array, items: {type: string}, collectionFormat: ssv}
      responses:
        "200":
          description: The item.
          schema: {$ref: "#/definitions/Item"}
        "404": {$ref: "#/responses/Problem"}
    delete:
      operationId: deleteItem
      tags: [items]
      security:
        - basic: []
      responses:
        "204": {description: Deleted.}
  /items/{itemId}/photo:
    parameters:
      - $ref: "#/parameters/ItemId"
    post:
      operationId: uploadPhoto
      tags: [photos]
      consumes: [multipart/form-data]
      parameters:
        - {name: file, in: formData, required: true, type: file, description: The photo.}
        - {name: caption, in: formData, type: string, maxLength: 200}
      responses:
        "200":
          description: Stored.
          schema: {$ref: "#/definitions/Photo"}
  /items/{itemId}/rating:
    parameters:
      - $ref: "#/parameters/ItemId"
    put:
      operationId: rateItem
      tags: [items]
      consumes: [application/x-www-form-urlencoded]
      parameters:
        - {name: stars, in: formData, required: true, type: integer, minimum: 1, maximum: 5}
        - {name: comment, in: formData, type: string}
        - {name: labels, in: formData, type: array, items: {type: string}, collectionFormat: csv}
      responses:
        "204": {description: Rated.}
  /export:
    get:
      operationId: exportItems
      tags: [export]
      produces: [text/csv]
      responses:
        "200":
          description: The items as CSV.
          schema: {type: string}
definitions:
  NewItem:
    type: object
    required: [name, kind]
    properties:
      name: {type: string, minLength: 1}
      kind: {type: string, enum: [book, tool]}
      price: {type: number, format: double, minimum: 0}
      notes: {type: string, x-nullable: true}
      attributes:
        type: object
        additionalProperties: {type: string}
  Item:
    allOf:
      - $ref: "#/definitions/NewItem"
      - type: object
        required: [id]
        properties:
          id: {type: string, readOnly: true}
          created: {type: string, format: date-time}
          photos:
            type: array
            items: {$ref: "#/definitions/Photo"}
  Photo:
    type: object
    discriminator: kind
    required: [kind, url]
    properties:
      kind: {type: string}
      url: {type: string, format: uri}
      size: {type: integer, format: int64}
  Problem:
    type: object
    properties:
      code: {type: integer, format: int32}
      message: {type: string}
"##;

/// An OpenAPI 3.1 seed: type lists, `const`, `$defs` and references into them, `prefixItems`,
/// `patternProperties`, references with siblings, webhooks, `nullable` (the 3.0 keyword, as real 3.1 files
/// still write it), `null` in unions and enums, numeric exclusive bounds and `examples`.
const OPENAPI31_SEED: &str = r##"openapi: 3.1.0
jsonSchemaDialect: https://spec.openapis.org/oas/3.1/dialect/base
info: {title: Events (OpenAPI 3.1 seed), version: "3", summary: A 3.1 seed., license: {name: MIT, identifier: MIT}}
servers:
  - url: https://events.example.test/v3
security:
  - token: []
paths:
  /events:
    get:
      operationId: listEvents
      parameters:
        - name: kind
          in: query
          schema: {type: [string, "null"], enum: [created, deleted, null]}
        - name: after
          in: query
          schema: {type: integer, exclusiveMinimum: 0}
      responses:
        "200":
          description: The events.
          content:
            application/json:
              schema:
                type: array
                items: {$ref: "#/components/schemas/Event"}
    post:
      operationId: createEvent
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewEvent"}
      responses:
        "201":
          description: Created.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Event"}
  /events/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string, examples: [ev_1]}}
    get:
      operationId: getEvent
      responses:
        "200":
          description: The event.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Event"
                description: The event, as stored.
        "404":
          description: No such event.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Problem"}
webhooks:
  event.created:
    post:
      operationId: eventCreated
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Event"}
      responses:
        "200": {description: Received.}
components:
  securitySchemes:
    token: {type: http, scheme: bearer, bearerFormat: JWT}
  schemas:
    NewEvent:
      type: object
      required: [kind, payload]
      properties:
        kind: {$ref: "#/components/schemas/NewEvent/$defs/Kind"}
        payload:
          oneOf:
            - $ref: "#/components/schemas/Created"
            - $ref: "#/components/schemas/Deleted"
        note:
          type: [string, "null"]
          maxLength: 500
        score:
          type: [number, string]
          exclusiveMaximum: 100
        position:
          type: array
          prefixItems:
            - {type: number}
            - {type: number}
          items: false
        labels:
          type: object
          patternProperties:
            "^[a-z]+$": {type: string}
        parent:
          $ref: "#/components/schemas/Event"
          nullable: true
        tags:
          type: array
          items: {type: string}
          examples: [[a, b]]
      $defs:
        Kind:
          type: string
          enum: [created, deleted]
    Created:
      type: object
      required: [type, name]
      properties:
        type: {const: created}
        name: {type: string}
    Deleted:
      type: object
      required: [type]
      properties:
        type: {const: deleted}
        reason:
          anyOf:
            - {type: string}
            - {type: "null"}
    Event:
      allOf:
        - $ref: "#/components/schemas/NewEvent"
        - type: object
          properties:
            id: {type: string, readOnly: true}
            at: {type: string, format: date-time}
            previous: {type: [integer, "null"], format: int64, minimum: 0}
          required: [id]
    Problem:
      type: object
      properties:
        title: {type: string}
        status: {type: integer, const: 404}
"##;

/// The fixture specs, sorted by name; the Swagger 2.0 and OpenAPI 3.1 seeds above; and, when
/// `../shared/specs` is there beside the workspace, trimmed copies of the Plaid spec (3.0) and of two specs of
/// `dev-next/`: Adyen's session authentication (3.1) and etcd's (2.0).
fn seeds() -> &'static [Seed] {
    static SEEDS: OnceLock<Vec<Seed>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let root = pipeline_tests::workspace_root();
        let fixtures = root.join("tests/fixtures");
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&fixtures)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", fixtures.display()))
            .map(|entry| entry.expect("a directory entry").path().join("openapi.yaml"))
            .filter(|path| path.is_file() && !refers_to_other_files(path))
            .collect();
        paths.sort();
        let mut seeds: Vec<Seed> = paths
            .iter()
            .map(|path| {
                let text =
                    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
                let value =
                    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()));
                let name = path.parent().and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned());
                Seed { name: name.unwrap_or_default(), value, text }
            })
            .collect();
        assert!(!seeds.is_empty(), "no fixture specs under {}", fixtures.display());
        for (name, text) in [("swagger 2.0 (inline)", SWAGGER2_SEED), ("openapi 3.1 (inline)", OPENAPI31_SEED)] {
            let value = serde_yaml::from_str(text).unwrap_or_else(|e| panic!("the {name} seed is not YAML: {e}"));
            seeds.push(Seed { name: name.to_owned(), value, text: text.to_owned() });
        }
        let specs = root.join("../shared/specs");
        let real = [
            ("plaid-2020-09-14.yml", "plaid (trimmed)"),
            ("dev-next/adyen-session-authentication-v1.json", "adyen 3.1 (trimmed)"),
            ("dev-next/etcd-rpc-swagger.json", "etcd 2.0 (trimmed)"),
        ];
        for (file, name) in real {
            let Ok(text) = std::fs::read_to_string(specs.join(file)) else { continue };
            let full: Value = if file.ends_with(".json") {
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file} is not JSON: {e}"))
            } else {
                serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{file} is not YAML: {e}"))
            };
            let value = trim(&full);
            let text = serde_yaml::to_string(&value).expect("a YAML value serializes");
            seeds.push(Seed { name: name.to_owned(), value, text });
        }
        seeds
    })
}

/// Whether a fixture's spec is spread over several files (it has files beside `openapi.yaml` and
/// `expected/`): the fuzzer generates from text alone, where those files cannot be found.
fn refers_to_other_files(spec: &Path) -> bool {
    let dir = spec.parent().expect("a fixture directory");
    std::fs::read_dir(dir)
        .map(|entries| {
            entries.flatten().any(|entry| !matches!(entry.file_name().to_str(), Some("openapi.yaml" | "expected")))
        })
        .unwrap_or(false)
}

/// The sections of a document that hold named, referable entries: `components/*` (OpenAPI 3) and, in Swagger
/// 2.0, `definitions`, `parameters` and `responses`.
const SWAGGER2_SECTIONS: [&str; 3] = ["definitions", "parameters", "responses"];

/// The entry a local reference points into: its section (`components/schemas`, `definitions`, …) and name.
fn ref_target(reference: &str) -> Option<(String, String)> {
    let tokens: Vec<&str> = reference.strip_prefix("#/")?.split('/').collect();
    let unescape = |token: &str| token.replace("~1", "/").replace("~0", "~");
    match tokens.as_slice() {
        ["components", kind, name, ..] => Some((format!("components/{kind}"), unescape(name))),
        [section, name, ..] if SWAGGER2_SECTIONS.contains(section) => Some(((*section).to_owned(), unescape(name))),
        _ => None,
    }
}

/// A real spec cut down to a sample of its paths and only the entries of its sections they reach (webhooks are
/// left out), so that a debug build generates from it quickly.
fn trim(full: &Value) -> Value {
    let all_paths = full["paths"].as_mapping().cloned().unwrap_or_default();
    let step = (all_paths.len() / TRIMMED_PATHS).max(1);
    let kept: Mapping = all_paths.into_iter().step_by(step).take(TRIMMED_PATHS).collect();
    let kept = Value::Mapping(kept);

    let mut pending = Vec::new();
    collect_refs(&kept, &mut pending);
    let mut reached = BTreeSet::new();
    while let Some(reference) = pending.pop() {
        let Some((section, name)) = ref_target(&reference) else { continue };
        let node = section.split('/').try_fold(full, |node, key| node.get(key)).and_then(|entries| entries.get(&name));
        if reached.insert((section, name)) {
            if let Some(node) = node {
                collect_refs(node, &mut pending);
            }
        }
    }
    // The entries of a section that were reached, in the order of the original, so the seed reads like the spec
    // it came from.
    let picked = |section: &str, entries: &Value| -> Option<Value> {
        let picked: Mapping = entries
            .as_mapping()?
            .iter()
            .filter(|(name, _)| {
                name.as_str().is_some_and(|name| reached.contains(&(section.to_owned(), name.to_owned())))
            })
            .map(|(name, node)| (name.clone(), node.clone()))
            .collect();
        (!picked.is_empty()).then_some(Value::Mapping(picked))
    };
    let mut out = Mapping::new();
    for (key, value) in full.as_mapping().into_iter().flatten() {
        match key.as_str() {
            Some("paths") => {
                out.insert(key.clone(), kept.clone());
            }
            Some("webhooks") => {}
            Some("components") => {
                let mut components = Mapping::new();
                for (kind, entries) in value.as_mapping().into_iter().flatten() {
                    let Some(kind) = kind.as_str() else { continue };
                    let entries = match kind {
                        "securitySchemes" => Some(entries.clone()),
                        _ => picked(&format!("components/{kind}"), entries),
                    };
                    if let Some(entries) = entries {
                        components.insert(kind.into(), entries);
                    }
                }
                out.insert(key.clone(), Value::Mapping(components));
            }
            Some(section) if SWAGGER2_SECTIONS.contains(&section) => {
                if let Some(entries) = picked(section, value) {
                    out.insert(key.clone(), entries);
                }
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    Value::Mapping(out)
}

fn collect_refs(node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Mapping(mapping) => {
            for (key, value) in mapping {
                match (key.as_str(), value) {
                    (Some("$ref"), Value::String(reference)) => out.push(reference.clone()),
                    _ => collect_refs(value, out),
                }
            }
        }
        Value::Sequence(items) => items.iter().for_each(|item| collect_refs(item, out)),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Navigating a YAML value
// ---------------------------------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Key(Value),
    Index(usize),
}

type NodePath = Vec<Seg>;

/// Every node of `root`, in document order, the root first.
fn all_paths(root: &Value) -> Vec<NodePath> {
    fn walk(node: &Value, prefix: &mut NodePath, out: &mut Vec<NodePath>) {
        out.push(prefix.clone());
        match node {
            Value::Mapping(mapping) => {
                for (key, value) in mapping {
                    prefix.push(Seg::Key(key.clone()));
                    walk(value, prefix, out);
                    prefix.pop();
                }
            }
            Value::Sequence(items) => {
                for (index, item) in items.iter().enumerate() {
                    prefix.push(Seg::Index(index));
                    walk(item, prefix, out);
                    prefix.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(root, &mut Vec::new(), &mut out);
    out
}

fn node<'a>(root: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    path.iter().try_fold(root, |node, seg| match (seg, node) {
        (Seg::Key(key), Value::Mapping(mapping)) => mapping.get(key),
        (Seg::Index(index), Value::Sequence(items)) => items.get(*index),
        _ => None,
    })
}

fn node_mut<'a>(root: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    path.iter().try_fold(root, |node, seg| match (seg, node) {
        (Seg::Key(key), Value::Mapping(mapping)) => mapping.get_mut(key),
        (Seg::Index(index), Value::Sequence(items)) => items.get_mut(*index),
        _ => None,
    })
}

fn size(node: &Value) -> usize {
    match node {
        Value::Mapping(mapping) => 1 + mapping.values().map(size).sum::<usize>(),
        Value::Sequence(items) => 1 + items.iter().map(size).sum::<usize>(),
        _ => 1,
    }
}

fn key_is(seg: Option<&Seg>, name: &str) -> bool {
    matches!(seg, Some(Seg::Key(Value::String(key))) if key == name)
}

/// The key this node sits under in its mapping.
fn last_key_is(path: &[Seg], name: &str) -> bool {
    key_is(path.last(), name)
}

/// The key the node's parent sits under (`properties` for a property schema, `enum` for an enum value).
fn parent_key_is(path: &[Seg], name: &str) -> bool {
    path.len() >= 2 && key_is(path.get(path.len() - 2), name)
}

/// Whether the node is (likely) a schema: inside `components/schemas` or under a `schema` key, and not one of the
/// keywords whose value is a mapping of something else.
fn in_schema(path: &[Seg]) -> bool {
    let under_schemas = (key_is(path.first(), "components") && key_is(path.get(1), "schemas") && path.len() >= 3)
        || (key_is(path.first(), "definitions") && path.len() >= 2)
        || path.iter().any(|seg| key_is(Some(seg), "schema"));
    let not_a_schema =
        ["properties", "discriminator", "mapping", "example", "examples", "default", "externalDocs", "xml"]
            .iter()
            .any(|keyword| last_key_is(path, keyword));
    under_schemas && !not_a_schema
}

fn is_mapping_at(doc: &Value, path: &[Seg]) -> bool {
    node(doc, path).is_some_and(Value::is_mapping)
}

/// Picks one of `items` by `n` (so that shrinking `n` toward 0 moves toward the first).
fn pick<T>(items: &[T], n: u32) -> Option<&T> {
    (!items.is_empty()).then(|| &items[n as usize % items.len()])
}

fn escape_pointer(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// Where a document keeps its named schemas: `components/schemas`, or `definitions` in Swagger 2.0.
#[derive(Clone, Copy)]
struct Schemas {
    section: &'static [&'static str],
}

impl Schemas {
    fn of(doc: &Value) -> Schemas {
        let section: &[&str] = if doc.get("swagger").is_some() { &["definitions"] } else { &["components", "schemas"] };
        Schemas { section }
    }

    fn section_path(self) -> NodePath {
        self.section.iter().map(|key| Seg::Key((*key).into())).collect()
    }

    fn path(self, name: &str) -> NodePath {
        let mut path = self.section_path();
        path.push(Seg::Key(name.into()));
        path
    }

    /// The `$ref` text of the named schema.
    fn reference(self, name: &str) -> Value {
        Value::String(format!("#/{}/{}", self.section.join("/"), escape_pointer(name)))
    }

    fn ref_to(self, name: &str) -> Value {
        mapping_of(&[("$ref", self.reference(name))])
    }

    fn names(self, doc: &Value) -> Vec<String> {
        node(doc, &self.section_path())
            .and_then(Value::as_mapping)
            .map(|schemas| schemas.keys().filter_map(|key| key.as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    }

    /// The name of the schema `path` is (or is inside of).
    fn name_at(self, path: &[Seg]) -> Option<String> {
        let inside =
            path.len() > self.section.len() && self.section.iter().zip(path).all(|(key, seg)| key_is(Some(seg), key));
        match path.get(self.section.len()) {
            Some(Seg::Key(Value::String(name))) if inside => Some(name.clone()),
            _ => None,
        }
    }
}

/// Renames a key of `mapping`, keeping its place.
fn rename_key(mapping: &mut Mapping, old: &Value, new: Value) {
    for (key, value) in std::mem::take(mapping) {
        mapping.insert(if &key == old { new.clone() } else { key }, value);
    }
}

/// Replaces every string equal to `old` (a `$ref` or a discriminator mapping target) with `new`, and `old` with
/// `new` where a string starts with `old/` (a reference into the entry, such as its `$defs`).
fn rewrite_strings(node: &mut Value, old: &str, new: &str) {
    match node {
        Value::String(text) if text == old => *text = new.to_owned(),
        Value::String(text) if text.strip_prefix(old).is_some_and(|rest| rest.starts_with('/')) => {
            text.replace_range(..old.len(), new);
        }
        Value::Mapping(mapping) => mapping.values_mut().for_each(|value| rewrite_strings(value, old, new)),
        Value::Sequence(items) => items.iter_mut().for_each(|item| rewrite_strings(item, old, new)),
        _ => {}
    }
}

fn mapping_of(entries: &[(&str, Value)]) -> Value {
    Value::Mapping(entries.iter().map(|(key, value)| (Value::from(*key), value.clone())).collect())
}

fn strings(items: &[&str]) -> Value {
    Value::Sequence(items.iter().map(|item| Value::from(*item)).collect())
}

// ---------------------------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// Removes a mapping entry.
    DeleteKey,
    /// Removes a component schema that may still be referenced.
    DeleteSchema,
    /// Replaces a node with a scalar of another type, or an empty mapping or sequence.
    ReplaceWithScalar,
    /// Sets `type` to a known, unknown or ill-typed value.
    SetType,
    /// Points a `$ref` at nothing.
    DangleRef,
    /// Makes a component schema refer to itself.
    SelfCycle,
    /// Makes two component schemas refer to each other.
    MutualCycle,
    /// Renames a property, schema, path, operationId, enum value, parameter… to an awkward name.
    Rename,
    /// Duplicates an enum value, or adds one that collides after case conversion.
    DuplicateEnum,
    AddNullable,
    /// Wraps a node in `allOf`/`oneOf`/`anyOf`/`not`.
    Wrap,
    /// Requires a property that does not exist.
    AddRequired,
    /// Adds a discriminator with a bogus mapping.
    AddDiscriminator,
    /// Copies a subtree over another node.
    CopySubtree,
    /// Adds an OpenAPI keyword with an arbitrary value.
    InsertKey,
    /// Sets `default` or `example` to a value of any type.
    SetDefault,
    /// Sets a numeric or length constraint to an odd value (negative, infinite, NaN, huge, a string).
    SetConstraint,
    /// Sets a description, title, summary, pattern or format to text that is hard to embed in code.
    SetText,
    /// Adds a JSON Schema 2020-12 (OpenAPI 3.1) construct: type lists, `const`, `$defs` and references into
    /// them, `prefixItems`, `patternProperties`, `examples`, numeric exclusive bounds, references with siblings,
    /// `null` in unions, keywords 3.0 has nothing for; or changes the declared version.
    Keyword31,
    /// Adds a Swagger 2.0 construct: `in: body` and `formData` parameters, `type: file`, `collectionFormat`,
    /// `consumes`/`produces`, `x-nullable`, a discriminator that is a property name, security definitions.
    Swagger2,
}

/// Every kind of mutation with its weight: the ones that break the document's shape (most end in a
/// deserialization error) weigh less than the ones that keep it an OpenAPI document and stress the later phases.
const KINDS: &[(Kind, usize)] = &[
    (Kind::DeleteKey, 1),
    (Kind::DeleteSchema, 1),
    (Kind::ReplaceWithScalar, 1),
    (Kind::SetType, 2),
    (Kind::DangleRef, 1),
    (Kind::SelfCycle, 2),
    (Kind::MutualCycle, 2),
    (Kind::Rename, 4),
    (Kind::DuplicateEnum, 2),
    (Kind::AddNullable, 2),
    (Kind::Wrap, 2),
    (Kind::AddRequired, 2),
    (Kind::AddDiscriminator, 2),
    (Kind::CopySubtree, 1),
    (Kind::InsertKey, 1),
    (Kind::SetDefault, 2),
    (Kind::SetConstraint, 2),
    (Kind::SetText, 2),
    (Kind::Keyword31, 3),
    (Kind::Swagger2, 3),
];

/// One mutation: `at` chooses the node, `pick` the variant.
#[derive(Clone, Debug)]
struct Mutation {
    kind: Kind,
    at: u32,
    pick: u32,
}

#[derive(Clone, Debug)]
struct Case {
    seed: usize,
    mutations: Vec<Mutation>,
}

fn scalar(n: u32) -> Value {
    let scalars = [
        Value::from("x"),
        Value::from(""),
        Value::from(0),
        Value::from(-1),
        Value::from(1.5),
        Value::from(true),
        Value::from(false),
        Value::Null,
        Value::Mapping(Mapping::new()),
        Value::Sequence(vec![]),
        Value::from("#/components/schemas/Nope"),
    ];
    scalars[n as usize % scalars.len()].clone()
}

fn weird_name(n: u32) -> String {
    #[rustfmt::skip]
    const NAMES: &[&str] = &[
        "", "type", "self", "Self", "super", "crate", "fn", "3d", "a b", "__", "_", "-", "a/b", "a~b", "ñandú",
        "日本語", "🦀", "foo_bar", "FooBar", "FOO-BAR", "r#type", "None", "Some", "Ok", "Option", "String", "Result",
        "Vec", "Box", "Client", "Error", "null", "true", "123", "$ref", "x-y.z", "a\nb", " ", "\"quoted\"", "é",
    ];
    match NAMES.get(n as usize % (NAMES.len() + 1)) {
        Some(name) => (*name).to_owned(),
        None => "VeryLongName".repeat(40),
    }
}

fn odd_text(n: u32) -> String {
    const TEXTS: &[&str] = &[
        "*/ /* */",
        "/* unclosed",
        "```\nnot rust {\n```",
        "```rust\nfn main() { let x = ; }\n```",
        "#[cfg(any())]",
        "\\",
        "\"",
        "\r\n\r\n",
        "\u{0}",
        "\u{202e}",
        "}{",
        "[link](#/nope) <html> &amp;",
        "    indented code",
        "",
        "^(?!a)[",
        "date-time",
        "binary",
        "int64",
        "🦀",
    ];
    match TEXTS.get(n as usize % (TEXTS.len() + 1)) {
        Some(text) => (*text).to_owned(),
        None => "long text ".repeat(500),
    }
}

fn any_value(n: u32) -> Value {
    let values = [
        Value::from("text"),
        Value::from(""),
        Value::from("\"}; panic!(); {\""),
        Value::from("\\u{0}"),
        Value::from(0),
        Value::from(-1),
        Value::from(1.5),
        Value::from(i64::MIN),
        Value::from(u64::MAX),
        Value::from(1e300),
        Value::from(f64::INFINITY),
        Value::from(f64::NAN),
        Value::from(true),
        Value::Null,
        Value::Sequence(vec![Value::from(1), Value::from("a")]),
        mapping_of(&[("a", Value::from(1)), ("", Value::Null)]),
        Value::Mapping(Mapping::new()),
        Value::Sequence(vec![]),
    ];
    values[n as usize % values.len()].clone()
}

fn odd_number(n: u32) -> Value {
    let values = [
        Value::from(0),
        Value::from(-1),
        Value::from(1.5),
        Value::from(-0.5),
        Value::from(1e300),
        Value::from(f64::INFINITY),
        Value::from(f64::NEG_INFINITY),
        Value::from(f64::NAN),
        Value::from(u64::MAX),
        Value::from(i64::MIN),
        Value::from(1e-300),
        Value::from("3"),
        Value::from(true),
        Value::Null,
    ];
    values[n as usize % values.len()].clone()
}

/// The paths among `mappings` whose node has a `type`, or `fallback` when none has.
fn typed_or<'p>(doc: &Value, mappings: &[&'p NodePath], fallback: &[&'p NodePath]) -> Vec<&'p NodePath> {
    let typed: Vec<&NodePath> =
        mappings.iter().copied().filter(|path| node(doc, path).is_some_and(|n| n.get("type").is_some())).collect();
    if typed.is_empty() {
        fallback.to_vec()
    } else {
        typed
    }
}

/// Applies one mutation; one that finds nothing to act on does nothing.
fn apply(doc: &mut Value, mutation: &Mutation) {
    let paths = all_paths(doc);
    let (at, pick_n) = (mutation.at, mutation.pick);
    let mappings: Vec<&NodePath> = paths.iter().filter(|path| is_mapping_at(doc, path)).collect();
    // Schema keywords mostly go where schemas are; one time in four, anywhere.
    let in_schemas: Vec<&NodePath> = mappings.iter().copied().filter(|path| in_schema(path)).collect();
    let schema_targets = if in_schemas.is_empty() || pick_n >> 30 == 3 { &mappings } else { &in_schemas };
    let home = Schemas::of(doc);
    let schemas = home.names(doc);
    match mutation.kind {
        Kind::DeleteKey => {
            let entries: Vec<&NodePath> =
                paths.iter().filter(|path| matches!(path.last(), Some(Seg::Key(_)))).collect();
            if let Some(path) = pick(&entries, at) {
                remove_at(doc, path);
            }
        }
        Kind::DeleteSchema => {
            if let Some(name) = pick(&schemas, at) {
                if let Some(Value::Mapping(mapping)) = node_mut(doc, &home.section_path()) {
                    mapping.shift_remove(name.as_str());
                }
            }
        }
        Kind::ReplaceWithScalar => {
            if let Some(path) = pick(&paths, at) {
                set(doc, path, scalar(pick_n));
            }
        }
        Kind::SetType => {
            let types = [
                Value::from("string"),
                Value::from("integer"),
                Value::from("number"),
                Value::from("boolean"),
                Value::from("array"),
                Value::from("object"),
                Value::from("null"),
                Value::from("file"),
                Value::from("any"),
                Value::from("Object"),
                Value::from(""),
                Value::from(3),
                Value::from(true),
                Value::Null,
                strings(&["string", "null"]),
            ];
            if let Some(path) = pick(schema_targets, at) {
                insert(doc, path, "type", types[pick_n as usize % types.len()].clone());
            }
        }
        Kind::DangleRef => {
            #[rustfmt::skip]
            const DANGLING: &[&str] = &[
                "#/components/schemas/DoesNotExist", "#/components/schemas/", "#/components/schemas",
                "#/components/responses/Nope", "#/components/parameters/Nope", "#/nope", "#", "",
                "other.yaml#/components/schemas/Pet", "https://example.test/spec.yaml#/components/schemas/Pet",
                "#/components/schemas/A~1B", "#/components/schemas/%20", "#/components/schemas/~2",
                "#/paths/~1pets/get", "components/schemas/Pet", "#/info",
            ];
            let target = Value::from(DANGLING[pick_n as usize % DANGLING.len()]);
            let refs: Vec<&NodePath> = paths.iter().filter(|path| last_key_is(path, "$ref")).collect();
            if let Some(path) = pick(&refs, at) {
                set(doc, path, target);
            } else if let Some(path) = pick(&mappings, at) {
                insert(doc, path, "$ref", target);
            }
        }
        Kind::SelfCycle => {
            // A mapping inside a component schema (or the schema itself) now refers to that schema.
            let inside: Vec<&NodePath> = mappings.iter().copied().filter(|path| home.name_at(path).is_some()).collect();
            if let Some(path) = pick(&inside, at) {
                let Some(name) = home.name_at(path) else { return };
                match pick_n % 4 {
                    0 => set(doc, path, home.ref_to(&name)),
                    1 => {
                        let properties = mapping_of(&[("next", home.ref_to(&name))]);
                        insert(doc, path, "properties", properties);
                        insert(doc, path, "required", strings(&["next"]));
                    }
                    2 => insert(doc, path, "allOf", Value::Sequence(vec![home.ref_to(&name)])),
                    _ => insert(doc, path, "items", home.ref_to(&name)),
                }
            }
        }
        Kind::MutualCycle => {
            if schemas.is_empty() {
                return;
            }
            let a = at as usize % schemas.len();
            let b = if schemas.len() > 1 && pick_n as usize % schemas.len() == a {
                (a + 1) % schemas.len()
            } else {
                pick_n as usize % schemas.len()
            };
            let (a, b) = (schemas[a].clone(), schemas[b].clone());
            for (from, to) in [(&a, &b), (&b, &a)] {
                let path = home.path(from);
                match (pick_n / 7) % 3 {
                    0 => set(doc, &path, home.ref_to(to)),
                    1 => {
                        insert(doc, &path, "allOf", Value::Sequence(vec![home.ref_to(to)]));
                    }
                    _ => {
                        let properties = mapping_of(&[("other", home.ref_to(to))]);
                        set(
                            doc,
                            &path,
                            mapping_of(&[
                                ("type", "object".into()),
                                ("required", strings(&["other"])),
                                ("properties", properties),
                            ]),
                        );
                    }
                }
            }
        }
        Kind::Rename => rename(doc, &paths, at, pick_n),
        Kind::DuplicateEnum => {
            let enums: Vec<&NodePath> = paths
                .iter()
                .filter(|path| last_key_is(path, "enum") && node(doc, path).is_some_and(Value::is_sequence))
                .collect();
            let Some(path) = pick(&enums, at) else {
                if let Some(path) = pick(schema_targets, at) {
                    insert(doc, path, "enum", strings(&["a", "A", "a", "", "a-b", "a_b"]));
                }
                return;
            };
            let Some(Value::Sequence(values)) = node_mut(doc, path) else { return };
            let Some(existing) = pick(values, pick_n).cloned() else {
                values.push(Value::from(""));
                return;
            };
            let added = match (pick_n / 3) % 4 {
                0 => existing,
                1 => existing.as_str().map_or(Value::Null, |text| Value::from(text.to_uppercase())),
                2 => existing.as_str().map_or(Value::from("1"), |text| Value::from(format!("{text}_"))),
                _ => any_value(pick_n / 12),
            };
            values.push(added);
        }
        Kind::AddNullable => {
            let values = [Value::from(true), Value::from(true), Value::from(false), Value::from("yes"), Value::Null];
            if let Some(path) = pick(schema_targets, at) {
                insert(doc, path, "nullable", values[pick_n as usize % values.len()].clone());
            }
        }
        Kind::Wrap => {
            let nodes: Vec<&NodePath> = paths.iter().filter(|path| !path.is_empty()).collect();
            if let Some(path) = pick(&nodes, at) {
                let Some(inner) = node(doc, path).cloned() else { return };
                let string = mapping_of(&[("type", "string".into())]);
                let wrapped = match pick_n % 8 {
                    0 => mapping_of(&[("allOf", Value::Sequence(vec![inner]))]),
                    1 => mapping_of(&[("oneOf", Value::Sequence(vec![inner]))]),
                    2 => mapping_of(&[("anyOf", Value::Sequence(vec![inner]))]),
                    3 => mapping_of(&[("not", inner)]),
                    4 => mapping_of(&[("allOf", Value::Sequence(vec![inner.clone(), inner]))]),
                    5 => mapping_of(&[("oneOf", Value::Sequence(vec![inner, string]))]),
                    6 => mapping_of(&[("allOf", Value::Sequence(vec![]))]),
                    _ => mapping_of(&[("oneOf", Value::Sequence(vec![])), ("nullable", true.into())]),
                };
                set(doc, path, wrapped);
            }
        }
        Kind::AddRequired => {
            if let Some(path) = pick(schema_targets, at) {
                let missing =
                    Value::from(if pick_n % 2 == 0 { "does_not_exist".to_owned() } else { weird_name(pick_n / 2) });
                match node_mut(doc, path).and_then(|node| node.get_mut("required")) {
                    Some(Value::Sequence(required)) => {
                        let duplicate = required.first().cloned();
                        required.push(if pick_n % 3 == 0 { duplicate.unwrap_or(missing) } else { missing });
                    }
                    _ => insert(doc, path, "required", Value::Sequence(vec![missing])),
                }
            }
        }
        Kind::AddDiscriminator => {
            let unions: Vec<&NodePath> = mappings
                .iter()
                .copied()
                .filter(|path| node(doc, path).is_some_and(|n| n.get("oneOf").is_some() || n.get("anyOf").is_some()))
                .collect();
            let targets = if unions.is_empty() || pick_n % 4 == 3 { schema_targets } else { &unions };
            let existing = pick(&schemas, pick_n).map(|name| home.reference(name)).unwrap_or_else(|| Value::from("#"));
            let discriminator = match (pick_n / 4) % 6 {
                0 => mapping_of(&[
                    ("propertyName", "kind".into()),
                    ("mapping", mapping_of(&[("a", "#/components/schemas/Nope".into())])),
                ]),
                1 => mapping_of(&[("propertyName", "".into()), ("mapping", Value::Mapping(Mapping::new()))]),
                2 => mapping_of(&[
                    ("propertyName", "petType".into()),
                    ("mapping", mapping_of(&[("x", "Dog".into()), ("y", "".into()), ("z", existing)])),
                ]),
                3 => mapping_of(&[("mapping", mapping_of(&[("a", "#".into())]))]),
                4 => mapping_of(&[("propertyName", weird_name(pick_n / 24).into())]),
                _ => mapping_of(&[
                    ("propertyName", "type".into()),
                    ("mapping", mapping_of(&[("same", existing.clone()), ("Same", existing)])),
                ]),
            };
            if let Some(path) = pick(targets, at) {
                insert(doc, path, "discriminator", discriminator);
            }
        }
        Kind::CopySubtree => {
            let sources: Vec<&NodePath> = paths
                .iter()
                .filter(|path| !path.is_empty() && node(doc, path).is_some_and(|n| size(n) <= MAX_COPIED_NODES))
                .collect();
            if let (Some(source), Some(target)) = (pick(&sources, at), pick(&paths[1..], pick_n)) {
                if let Some(copy) = node(doc, source).cloned() {
                    set(doc, target, copy);
                }
            }
        }
        Kind::InsertKey => {
            #[rustfmt::skip]
            const KEYS: &[&str] = &[
                "type", "properties", "items", "enum", "allOf", "oneOf", "anyOf", "not", "$ref", "required",
                "additionalProperties", "format", "default", "example", "readOnly", "writeOnly", "minimum",
                "maximum", "exclusiveMinimum", "minLength", "maxLength", "pattern", "minItems", "maxItems",
                "uniqueItems", "nullable", "discriminator", "in", "name", "schema", "content", "style", "explode",
                "parameters", "requestBody", "responses", "title", "description", "security", "servers",
                "deprecated", "operationId", "x-crate-name", "const", "$defs", "prefixItems", "patternProperties",
                "examples", "collectionFormat", "x-nullable", "consumes", "produces", "webhooks",
            ];
            let key = KEYS[pick_n as usize % KEYS.len()];
            let choice = pick_n / KEYS.len() as u32;
            let value = match choice % 4 {
                0 => any_value(choice / 4),
                1 => {
                    let small: Vec<&NodePath> = paths
                        .iter()
                        .filter(|path| node(doc, path).is_some_and(|n| size(n) <= MAX_COPIED_NODES))
                        .collect();
                    pick(&small, choice / 4).and_then(|path| node(doc, path)).cloned().unwrap_or(Value::Null)
                }
                2 => pick(&schemas, choice / 4).map(|name| home.ref_to(name)).unwrap_or_else(|| scalar(choice / 4)),
                _ => Value::from(weird_name(choice / 4)),
            };
            if let Some(path) = pick(&mappings, at) {
                insert(doc, path, key, value);
            }
        }
        Kind::SetDefault => {
            let targets = typed_or(doc, &mappings, schema_targets);
            let key = if pick_n % 3 == 2 { "example" } else { "default" };
            if let Some(path) = pick(&targets, at) {
                insert(doc, path, key, any_value(pick_n / 3));
            }
        }
        Kind::SetConstraint => {
            #[rustfmt::skip]
            const KEYS: &[&str] = &[
                "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength",
                "minItems", "maxItems", "minProperties", "maxProperties",
            ];
            let targets = typed_or(doc, &mappings, schema_targets);
            let key = KEYS[pick_n as usize % KEYS.len()];
            if let Some(path) = pick(&targets, at) {
                insert(doc, path, key, odd_number(pick_n / KEYS.len() as u32));
            }
        }
        Kind::SetText => {
            const KEYS: &[&str] = &["description", "title", "summary", "pattern", "format"];
            let key = KEYS[pick_n as usize % KEYS.len()];
            if let Some(path) = pick(&mappings, at) {
                insert(doc, path, key, Value::from(odd_text(pick_n / KEYS.len() as u32)));
            }
        }
        Kind::Keyword31 => keyword31(doc, schema_targets, home, &schemas, at, pick_n),
        Kind::Swagger2 => swagger2(doc, &paths, schema_targets, home, &schemas, at, pick_n),
    }
}

/// Adds a JSON Schema 2020-12 construct (OpenAPI 3.1) to a schema, or changes the declared version.
fn keyword31(doc: &mut Value, targets: &[&NodePath], home: Schemas, schemas: &[String], at: u32, pick_n: u32) {
    let Some(path) = pick(targets, at).map(|path| (*path).clone()) else { return };
    let choice = pick_n as usize / 16;
    let typed = |name: &str| mapping_of(&[("type", name.into())]);
    let some_reference = || pick(schemas, choice as u32).map(|name| home.reference(name)).unwrap_or("#/nope".into());
    match pick_n % 16 {
        0 => insert(doc, &path, "type", strings(&["string", "null"])),
        1 => insert(doc, &path, "type", strings(&["integer", "string", "null"])),
        2 => {
            let lists = [
                strings(&[]),
                strings(&["null"]),
                strings(&["object", "array"]),
                strings(&["string", "string"]),
                Value::Sequence(vec!["number".into(), 3.into()]),
                strings(&["boolean", "null", "integer", "number", "object", "array", "string"]),
            ];
            insert(doc, &path, "type", lists[choice % lists.len()].clone());
        }
        3 => insert(doc, &path, "const", any_value(choice as u32)),
        4 => {
            // A `$defs` entry, and a property that refers to it by a pointer into this schema.
            let inner = mapping_of(&[("type", "string".into()), ("enum", strings(&["a", "b"]))]);
            insert(doc, &path, "$defs", mapping_of(&[("Inner", inner)]));
            let property = mapping_of(&[("$ref", format!("{}/$defs/Inner", pointer_of(&path)).into())]);
            match node_mut(doc, &path).and_then(|node| node.get_mut("properties")) {
                Some(Value::Mapping(properties)) => {
                    properties.insert("inner".into(), property);
                }
                _ => insert(doc, &path, "properties", mapping_of(&[("inner", property)])),
            }
        }
        5 => {
            // A reference into a schema, which may have no such part.
            const INTO: &[&str] = &[
                "/$defs/Inner",
                "/$defs",
                "/$defs/",
                "/properties/id",
                "/$defs/Inner/$defs/Deeper",
                "/allOf/0",
                "/items",
            ];
            let target = some_reference();
            let reference = format!("{}{}", target.as_str().unwrap_or("#"), INTO[choice % INTO.len()]);
            set(doc, &path, mapping_of(&[("$ref", reference.into())]));
        }
        6 => {
            let items = [typed("string"), typed("integer"), home.ref_to(schemas.first().map_or("", String::as_str))];
            insert(doc, &path, "prefixItems", Value::Sequence(items[..1 + choice % 3].to_vec()));
            if choice % 2 == 0 {
                insert(doc, &path, "items", false.into());
            }
            if choice % 3 == 0 {
                insert(doc, &path, "type", "array".into());
            }
        }
        7 => {
            let patterns = mapping_of(&[("^x-", typed("string")), ("[", typed("integer")), ("", true.into())]);
            insert(doc, &path, "patternProperties", patterns);
        }
        8 => insert(
            doc,
            &path,
            "examples",
            Value::Sequence(vec![any_value(choice as u32), any_value(choice as u32 / 3)]),
        ),
        9 => {
            let key = if choice % 2 == 0 { "exclusiveMinimum" } else { "exclusiveMaximum" };
            insert(doc, &path, key, odd_number(choice as u32 / 2));
        }
        10 => {
            // A reference with siblings.
            let siblings = [
                ("description", Value::from("beside a reference")),
                ("nullable", true.into()),
                ("type", "object".into()),
                ("default", any_value(choice as u32 / 9)),
                ("readOnly", true.into()),
                ("properties", mapping_of(&[("extra", typed("string"))])),
                ("required", strings(&["extra"])),
                ("x-nullable", true.into()),
                ("const", "fixed".into()),
            ];
            let (key, value) = siblings[choice % siblings.len()].clone();
            if node(doc, &path).is_some_and(|node| node.get("$ref").is_some()) {
                insert(doc, &path, key, value);
            } else {
                set(doc, &path, mapping_of(&[("$ref", some_reference()), (key, value)]));
            }
        }
        11 => {
            // `null` as a member of a union, or a value of an enum.
            let Some(inner) = node(doc, &path).cloned() else { return };
            let null = typed("null");
            match choice % 3 {
                0 => set(doc, &path, mapping_of(&[("anyOf", Value::Sequence(vec![inner, null]))])),
                1 => set(doc, &path, mapping_of(&[("oneOf", Value::Sequence(vec![null, inner]))])),
                _ => insert(doc, &path, "enum", Value::Sequence(vec!["a".into(), Value::Null])),
            }
        }
        12 => {
            // What OpenAPI 3.0 has nothing for, or what only identifies a schema.
            #[rustfmt::skip]
            const KEYS: &[&str] = &[
                "if", "then", "else", "dependentSchemas", "dependentRequired", "unevaluatedProperties",
                "unevaluatedItems", "contains", "minContains", "propertyNames", "$dynamicRef", "$anchor", "$id",
                "$schema", "$comment", "contentSchema",
            ];
            let key = KEYS[choice % KEYS.len()];
            let value = match choice / KEYS.len() % 3 {
                0 => typed("string"),
                1 => any_value(choice as u32),
                _ => false.into(),
            };
            insert(doc, &path, key, value);
        }
        13 => {
            const VALUES: &[&str] = &["base64", "base64url", "application/json", "image/png", "", "7bit"];
            let key = if choice % 2 == 0 { "contentEncoding" } else { "contentMediaType" };
            insert(doc, &path, key, VALUES[choice / 2 % VALUES.len()].into());
        }
        14 => set(doc, &path, Value::Bool(choice % 2 == 0)),
        _ => {
            const VERSIONS: &[&str] = &["3.1.0", "3.1.1", "3.0.3", "3.2.0", "3.1", "2.0"];
            insert(doc, &[], "openapi", VERSIONS[choice % VERSIONS.len()].into());
            if choice / VERSIONS.len() % 2 == 0 {
                remove_at(doc, &[Seg::Key("swagger".into())]);
            }
        }
    }
}

/// Adds a Swagger 2.0 construct: a body, form or file parameter, `collectionFormat`, `consumes` or `produces`,
/// `x-nullable`, a discriminator that is a property name, a security definition.
fn swagger2(
    doc: &mut Value,
    paths: &[NodePath],
    targets: &[&NodePath],
    home: Schemas,
    schemas: &[String],
    at: u32,
    pick_n: u32,
) {
    let choice = pick_n as usize / 10;
    let typed = |name: &str| mapping_of(&[("type", name.into())]);
    let some_schema = || pick(schemas, choice as u32).map(|name| home.ref_to(name)).unwrap_or_else(|| typed("object"));
    // The entries of `parameters` lists and sections, and the operations (a mapping under a path and a method).
    let parameters: Vec<NodePath> =
        paths.iter().filter(|path| parent_key_is(path, "parameters") && is_mapping_at(doc, path)).cloned().collect();
    let operations: Vec<NodePath> = paths
        .iter()
        .filter(|path| {
            path.len() == 3
                && (key_is(path.first(), "paths") || key_is(path.first(), "webhooks"))
                && is_mapping_at(doc, path)
        })
        .cloned()
        .collect();
    match pick_n % 10 {
        0 => {
            if let Some(path) = pick(&parameters, at) {
                insert(doc, path, "in", "body".into());
                if choice % 3 != 0 {
                    insert(doc, path, "schema", some_schema());
                }
            }
        }
        1 => {
            if let Some(path) = pick(&parameters, at) {
                insert(doc, path, "in", "formData".into());
                if choice % 2 == 0 {
                    insert(doc, path, "type", "file".into());
                }
            }
        }
        2 => {
            const FORMATS: &[&str] = &["csv", "ssv", "tsv", "pipes", "multi", "", "CSV", "bogus"];
            if let Some(path) = pick(&parameters, at) {
                insert(doc, path, "collectionFormat", FORMATS[choice % FORMATS.len()].into());
                if choice / FORMATS.len() % 2 == 0 {
                    insert(doc, path, "type", "array".into());
                    insert(doc, path, "items", typed("string"));
                }
            }
        }
        3 | 4 => {
            let media = [
                strings(&["multipart/form-data"]),
                strings(&["application/x-www-form-urlencoded"]),
                strings(&[]),
                "application/json".into(),
                strings(&["application/xml", "text/plain"]),
                strings(&["*/*"]),
                Value::Null,
                strings(&["application/octet-stream"]),
            ];
            let key = if pick_n % 10 == 3 { "consumes" } else { "produces" };
            let target = pick(&operations, at).cloned().unwrap_or_default();
            insert(doc, &target, key, media[choice % media.len()].clone());
        }
        5 => {
            let values = [true.into(), false.into(), "yes".into(), Value::Null];
            if let Some(path) = pick(targets, at) {
                insert(doc, path, "x-nullable", values[choice % values.len()].clone());
            }
        }
        6 => {
            if let Some(path) = pick(targets, at) {
                insert(doc, path, "type", "file".into());
            }
        }
        7 => {
            let names: [Value; 3] = ["kind".into(), "".into(), weird_name(choice as u32).into()];
            if let Some(path) = pick(targets, at) {
                insert(doc, path, "discriminator", names[choice % names.len()].clone());
            }
        }
        8 => {
            let parameter = match choice % 4 {
                0 => mapping_of(&[
                    ("name", "payload".into()),
                    ("in", "body".into()),
                    ("required", true.into()),
                    ("schema", some_schema()),
                ]),
                1 => mapping_of(&[("name", "upload".into()), ("in", "formData".into()), ("type", "file".into())]),
                2 => mapping_of(&[
                    ("name", "list".into()),
                    ("in", "query".into()),
                    ("type", "array".into()),
                    ("items", typed("integer")),
                    ("collectionFormat", "multi".into()),
                ]),
                _ => mapping_of(&[("name", "second".into()), ("in", "body".into()), ("schema", typed("string"))]),
            };
            if let Some(path) = pick(&operations, at) {
                match node_mut(doc, path).and_then(|operation| operation.get_mut("parameters")) {
                    Some(Value::Sequence(list)) => list.push(parameter),
                    _ => insert(doc, path, "parameters", Value::Sequence(vec![parameter])),
                }
            }
        }
        _ => {
            // A security definition, which the document requires.
            let scopes = mapping_of(&[("read", "Read".into())]);
            let schemes = [
                typed("basic"),
                mapping_of(&[("type", "apiKey".into()), ("in", "query".into()), ("name", "key".into())]),
                mapping_of(&[
                    ("type", "oauth2".into()),
                    ("flow", "implicit".into()),
                    ("authorizationUrl", "https://auth.example.test".into()),
                    ("scopes", scopes),
                ]),
                mapping_of(&[("type", "oauth2".into()), ("flow", "password".into()), ("tokenUrl", "".into())]),
                mapping_of(&[("type", "oauth2".into()), ("flow", "bogus".into())]),
                typed("weird"),
                mapping_of(&[("type", "apiKey".into()), ("in", "body".into())]),
            ];
            let name = weird_name((choice / schemes.len()) as u32);
            let scheme = schemes[choice % schemes.len()].clone();
            match doc.get_mut("securityDefinitions") {
                Some(Value::Mapping(definitions)) => {
                    definitions.insert(name.as_str().into(), scheme);
                }
                _ => insert(doc, &[], "securityDefinitions", mapping_of(&[(&name, scheme)])),
            }
            let requirement = mapping_of(&[(&name, strings(&["read"]))]);
            match doc.get_mut("security") {
                Some(Value::Sequence(requirements)) => requirements.push(requirement),
                _ => insert(doc, &[], "security", Value::Sequence(vec![requirement])),
            }
        }
    }
}

/// The JSON pointer (URI fragment) of a node.
fn pointer_of(path: &[Seg]) -> String {
    let mut pointer = "#".to_owned();
    for seg in path {
        match seg {
            Seg::Key(key) => pointer.push_str(&format!("/{}", escape_pointer(key.as_str().unwrap_or_default()))),
            Seg::Index(index) => pointer.push_str(&format!("/{index}")),
        }
    }
    pointer
}

fn set(doc: &mut Value, path: &[Seg], value: Value) {
    if let Some(node) = node_mut(doc, path) {
        *node = value;
    }
}

fn insert(doc: &mut Value, path: &[Seg], key: &str, value: Value) {
    if let Some(Value::Mapping(mapping)) = node_mut(doc, path) {
        mapping.insert(key.into(), value);
    }
}

fn remove_at(doc: &mut Value, path: &[Seg]) {
    let Some((Seg::Key(key), parent)) = path.split_last() else { return };
    if let Some(Value::Mapping(mapping)) = node_mut(doc, parent) {
        mapping.shift_remove(key);
    }
}

/// Renames something that becomes a Rust name: a key (schema, property, path, other component; references to a
/// renamed component follow it) or a string value (operationId, enum value, parameter name, required name,
/// discriminator property).
fn rename(doc: &mut Value, paths: &[NodePath], at: u32, pick_n: u32) {
    // How references to the entry at `path` begin, if it is a component or a Swagger 2.0 definition, parameter or
    // response.
    let section_of = |path: &NodePath| match path.as_slice() {
        [Seg::Key(Value::String(first)), Seg::Key(Value::String(kind)), Seg::Key(_)] if first == "components" => {
            Some(format!("#/components/{kind}/"))
        }
        [Seg::Key(Value::String(section)), Seg::Key(_)] if SWAGGER2_SECTIONS.contains(&section.as_str()) => {
            Some(format!("#/{section}/"))
        }
        _ => None,
    };
    // (path, whether the name is the key the node sits under rather than the node's string value)
    let sites: Vec<(&NodePath, bool)> = paths
        .iter()
        .filter_map(|path| {
            let keyed = matches!(path.last(), Some(Seg::Key(_)));
            let key_site = keyed
                && (parent_key_is(path, "properties")
                    || section_of(path).is_some()
                    || (path.len() == 2 && (key_is(path.first(), "paths") || key_is(path.first(), "webhooks"))));
            let value_site = node(doc, path).is_some_and(Value::is_string)
                && (last_key_is(path, "operationId")
                    || last_key_is(path, "name")
                    || last_key_is(path, "propertyName")
                    || parent_key_is(path, "enum")
                    || parent_key_is(path, "required"));
            (key_site || value_site).then_some((path, key_site))
        })
        .collect();
    let Some(&(path, key_site)) = pick(&sites, at) else { return };
    let mut name = weird_name(pick_n);
    if path.len() == 2 && key_is(path.first(), "paths") && pick_n % 2 == 0 {
        name = format!("/{name}");
    }
    if !key_site {
        set(doc, path, Value::from(name));
        return;
    }
    let Some((Seg::Key(old), parent)) = path.split_last() else { return };
    if let Some(Value::Mapping(mapping)) = node_mut(doc, parent) {
        rename_key(mapping, old, Value::from(name.clone()));
    }
    if let (Some(section), Some(old)) = (section_of(path), old.as_str()) {
        let old_ref = format!("{section}{}", escape_pointer(old));
        let new_ref = format!("{section}{}", escape_pointer(&name));
        rewrite_strings(doc, &old_ref, &new_ref);
    }
}

fn mutated_case() -> impl Strategy<Value = Case> {
    let weighted: Vec<Kind> = KINDS.iter().flat_map(|&(kind, weight)| std::iter::repeat_n(kind, weight)).collect();
    let mutation = (proptest::sample::select(weighted), any::<u32>(), any::<u32>())
        .prop_map(|(kind, at, pick)| Mutation { kind, at, pick });
    (0..seeds().len(), vec(mutation, 1..=8)).prop_map(|(seed, mutations)| Case { seed, mutations })
}

fn mutated_doc(case: &Case) -> Value {
    let mut doc = seeds()[case.seed].value.clone();
    for mutation in &case.mutations {
        apply(&mut doc, mutation);
    }
    doc
}

// ---------------------------------------------------------------------------------------------------------------
// Arbitrary text
// ---------------------------------------------------------------------------------------------------------------

#[rustfmt::skip]
const TOKENS: &[&str] = &[
    "\n", "\n", "\n  ", "\n    ", "\n      ", "  ", " ", ": ", ":", "- ", "-", "{", "}", "[", "]", ", ", "'", "\"",
    "#", "&a ", "*a", "!!binary ", "!!str ", "? ", "|\n  ", ">\n  ", "---\n", "...\n", "%YAML 1.2\n", "\t", "~",
    "null", "true", "1e400", "0x1F", "-.inf", ".nan", "<<: *a", "openapi", "3.0.0", "info", "title", "version",
    "paths", "/p/{id}", "get", "post", "operationId", "responses", "'200'", "default", "description", "content",
    "application/json", "schema", "parameters", "in", "path", "query", "name", "id", "required", "components",
    "schemas", "A", "B", "type", "object", "string", "integer", "array", "items", "properties", "enum", "allOf",
    "oneOf", "anyOf", "not", "discriminator", "propertyName", "mapping", "$ref", "'#/components/schemas/A'",
    "'#/components/schemas/B'", "nullable", "additionalProperties", "format", "date-time", "int64", "x", "é", "🦀",
    "\u{feff}", "\\", "\r", "\u{0}",
    // Swagger 2.0 and OpenAPI 3.1
    "swagger", "'2.0'", "3.1.0", "definitions", "'#/definitions/A'", "body", "formData", "file", "collectionFormat",
    "multi", "consumes", "produces", "securityDefinitions", "x-nullable", "const", "$defs",
    "'#/components/schemas/A/$defs/B'", "prefixItems", "patternProperties", "webhooks", "[string, 'null']", "'null'",
    "examples",
];

const PREFIXES: &[&str] = &[
    "openapi: 3.0.0\n",
    "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /p:\n    get:\n      ",
    "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      ",
    "openapi: 3.1.0\n",
    "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /p:\n    get:\n      ",
    "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    A:\n      ",
    "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks:\n  w:\n    post:\n      ",
    "swagger: '2.0'\n",
    "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /p:\n    get:\n      ",
    "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /p:\n    post:\n      parameters:\n        - ",
    "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions:\n  A:\n    ",
];

#[derive(Clone, Debug)]
enum TextCase {
    /// Arbitrary characters.
    Chars(String),
    /// A prefix (by index into `PREFIXES`) and tokens (by index into `TOKENS`).
    Soup(usize, Vec<usize>),
    /// A seed's text with edits at byte offsets: (operation, offset, argument).
    Edited(usize, Vec<(u8, u32, u32)>),
}

fn text_case() -> impl Strategy<Value = TextCase> {
    prop_oneof![
        vec(any::<char>(), 0..300).prop_map(|chars| TextCase::Chars(chars.into_iter().collect())),
        (0..PREFIXES.len(), vec(0..TOKENS.len(), 0..80)).prop_map(|(prefix, tokens)| TextCase::Soup(prefix, tokens)),
        (0..seeds().len(), vec((0u8..5, any::<u32>(), any::<u32>()), 1..6))
            .prop_map(|(seed, edits)| TextCase::Edited(seed, edits)),
    ]
}

fn floor_boundary(text: &str, offset: u32) -> usize {
    if text.is_empty() {
        return 0;
    }
    let mut at = offset as usize % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn text_of(case: &TextCase) -> Cow<'static, str> {
    match case {
        TextCase::Chars(text) => Cow::Owned(text.clone()),
        TextCase::Soup(prefix, tokens) => {
            let mut text = PREFIXES[*prefix].to_owned();
            text.extend(tokens.iter().map(|&token| TOKENS[token]));
            Cow::Owned(text)
        }
        TextCase::Edited(seed, edits) => {
            let mut text = seeds()[*seed].text.clone();
            for &(operation, offset, argument) in edits {
                let at = floor_boundary(&text, offset);
                match operation {
                    0 => text.truncate(at),
                    1 => {
                        let end = floor_boundary(&text, (at as u32).saturating_add(argument % 200));
                        if end > at {
                            text.replace_range(at..end, "");
                        }
                    }
                    2 => text.insert_str(at, TOKENS[argument as usize % TOKENS.len()]),
                    3 => {
                        // Duplicate the line that holds `at`.
                        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                        let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
                        let line = text[start..end].to_owned();
                        text.insert_str(start, &line);
                    }
                    _ => {
                        // Shift the indentation of the line that holds `at`.
                        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                        if argument % 2 == 0 {
                            text.insert_str(start, &" ".repeat(1 + argument as usize % 4));
                        } else if text[start..].starts_with(' ') {
                            text.remove(start);
                        }
                    }
                }
            }
            Cow::Owned(text)
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------------------

/// The seeds themselves generate, deterministically: otherwise mutating them would prove little.
#[test]
fn seeds_generate() {
    let seeds = seeds();
    for seed in seeds {
        match check("seed", &seed.text, true) {
            Ok(Ok(_)) => {}
            Ok(Err(error)) => panic!("seed {} does not generate: {error}", seed.name),
            Err(report) => panic!("seed {}: {report}", seed.name),
        }
    }
    let names: Vec<&str> = seeds.iter().map(|seed| seed.name.as_str()).collect();
    report(format!("no_panic: {} seeds generate: {}", seeds.len(), names.join(", ")));
}

#[test]
fn mutated_specs_never_panic() {
    run_property("mutated specs", mutated_case(), |case, twice| {
        let doc = mutated_doc(&case);
        let text = serde_yaml::to_string(&doc).expect("a YAML value serializes");
        check("mutated", &text, twice).map(|result| outcome_of(&result))
    });
}

#[test]
fn arbitrary_text_never_panics() {
    run_property("arbitrary text", text_case(), |case, twice| {
        let text = text_of(&case);
        check("text", &text, twice).map(|result| outcome_of(&result))
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Regression tests: generator bugs the properties above found, each with its smallest spec
// ---------------------------------------------------------------------------------------------------------------

fn assert_clean(text: &str) {
    if let Err(report) = check("bug", text, false) {
        panic!("{report}");
    }
}

#[test]
fn nonfinite_number_in_schema_is_a_spec_error() {
    // Also `-.inf`, `.nan`, and `maxLength: .inf` or `format: .nan`: the document is deserialized from YAML, where
    // the number fails to fit the field, then re-deserialized through `serde_json::Value`, where it became `null`
    // and the field (an `Option`) accepts it, so openapiv3 2.2 hits `expect("somehow this parsed successfully the
    // second time")`.
    assert_clean("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: number\n      minimum: .inf\n");
}

#[test]
fn recursive_inline_all_of_is_a_spec_error() {
    // The same with `- type: object` + `properties: {q: {type: string}}` as the second member, with the `allOf`
    // under `items`, with the cycle going through another schema, or with the `$ref` to `Node` inside a nested
    // `allOf` of a member. A lone member, a second member with no properties, the `$ref` behind a property of an
    // inline member, or the `allOf` being a component schema of its own, is fine.
    assert_clean(
        "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Node:
      type: object
      properties:
        p:
          allOf:
          - $ref: '#/components/schemas/Node'
          - $ref: '#/components/schemas/Other'
    Other:
      type: object
",
    );
}

#[test]
fn duplicate_key_is_a_warning_without_a_panic() {
    // A key twice in an object `openapiv3` reads as a `ReferenceOr` (a response here; a schema, parameter, path
    // item… alike): the straight reading of the YAML buffered the object, failed on the duplicate field, then
    // re-read it through `serde_json::Value`, which keeps the last value, and hit the same `expect` as above, on
    // the loader's second thread.
    assert_clean("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  responses:\n    R:\n      description: a\n      description: b\n");
}
