//! `securityDefinitions` → `components/securitySchemes`.

use serde_yaml::{Mapping, Value};

use super::{escape, key, shown, Converter};

impl Converter<'_> {
    /// `securityDefinitions` as `securitySchemes`.
    pub(super) fn security_schemes(&mut self, mut definitions: Mapping) -> Mapping {
        self.out.moved("#/components/securitySchemes".into(), "#/securityDefinitions".into());
        for (name, definition) in definitions.iter_mut() {
            let (Some(name), Value::Mapping(definition)) = (name.as_str(), definition) else { continue };
            self.security_scheme(definition, &escape(name));
        }
        definitions
    }

    /// One security definition: `basic` is HTTP basic, `oauth2` names one flow where 3.0 lists
    /// flows, `apiKey` is unchanged (an unknown type is left for the reader to report).
    fn security_scheme(&mut self, definition: &mut Mapping, name: &str) {
        let from = format!("#/securityDefinitions/{name}");
        match definition.get("type").and_then(Value::as_str) {
            Some("basic") => {
                definition.insert(key("type"), Value::from("http"));
                definition.insert(key("scheme"), Value::from("basic"));
            }
            Some("oauth2") => {
                let flow = definition.shift_remove("flow");
                let (name3, fields): (&str, &[&str]) = match flow.as_ref().and_then(Value::as_str) {
                    Some("implicit") => ("implicit", &["authorizationUrl"]),
                    Some("password") => ("password", &["tokenUrl"]),
                    Some("application") => ("clientCredentials", &["tokenUrl"]),
                    Some("accessCode") => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
                    _ => {
                        let what = flow.as_ref().map_or("no `flow`".to_string(), |f| format!("flow {}", shown(f)));
                        self.out.warn(
                            &from,
                            format!("oauth2 with {what} names no OAuth 2.0 flow; it was read as declaring none"),
                        );
                        definition.insert(key("flows"), Value::Mapping(Mapping::new()));
                        return;
                    }
                };
                let mut flow = Mapping::new();
                for field in fields.iter().copied().chain(["refreshUrl"]) {
                    if let Some(value) = definition.shift_remove(field) {
                        flow.insert(key(field), value);
                    }
                }
                // 2.0 requires `scopes`; 3.0 does too, and an empty map is what none means.
                let scopes = definition.shift_remove("scopes").unwrap_or_else(|| Value::Mapping(Mapping::new()));
                flow.insert(key("scopes"), scopes);
                let at = format!("#/components/securitySchemes/{name}/flows/{name3}");
                self.out.moved(at, from);
                definition
                    .insert(key("flows"), Value::Mapping(Mapping::from_iter([(key(name3), Value::Mapping(flow))])));
            }
            _ => {}
        }
    }
}
