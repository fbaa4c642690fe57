//! The template environment of `briefing.html` and `article.md`, and the
//! filters that write figures the way Chinese statistical documents do.
//!
//! Offices must be able to change the wording and layout of their briefing
//! without rebuilding the program, so both outputs are minijinja templates.
//! The defaults are compiled into the binary (an installed `statbrief` works
//! from any folder); `--templates DIR` overrides them one file at a time: a
//! template found in DIR wins, any other falls back to the built-in one. There
//! is exactly one place that builds an environment ([`environment`]) and one
//! that registers the filters ([`register`]), so the HTML briefing, the
//! article and the tests all see the same behaviour.
//!
//! The filters call [`super::wording`], the same functions the workbook,
//! the console and the charts use; the variables come from [`super::views`].

use super::wording::{
    fmt_amount, fmt_completion, fmt_growth, fmt_percent, fmt_period, fmt_period_name, fmt_pp, fmt_rank, fmt_signed,
    fmt_thousands,
};
use crate::error::Error;
use crate::model::{Colour, Flag, Kind};
use crate::quality::Severity;
use minijinja::{Environment, ErrorKind, UndefinedBehavior, Value};
use std::path::{Path, PathBuf};

/// The built-in templates, by the name templates use to include or extend
/// them. A file of the same name in `--templates DIR` replaces one of them.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("base.html.j2", include_str!("../../templates/base.html.j2")),
    ("briefing.html.j2", include_str!("../../templates/briefing.html.j2")),
    ("article.md.j2", include_str!("../../templates/article.md.j2")),
    ("partials/briefing.css", include_str!("../../templates/partials/briefing.css")),
    ("partials/tables.html.j2", include_str!("../../templates/partials/tables.html.j2")),
    ("partials/charts.html.j2", include_str!("../../templates/partials/charts.html.j2")),
];

/// Creates the environment every renderer uses: templates from `dir` where it
/// has them, else built in; strict about undefined variables; HTML
/// autoescape for `.html.j2` names; every filter of [`register`].
pub fn environment(dir: Option<&Path>) -> Environment<'static> {
    let mut env = Environment::new();
    let dir: Option<PathBuf> = dir.map(Path::to_path_buf);
    // A loader, not `add_template`: minijinja asks the loader only for names it
    // has not loaded yet, so the office's file is looked up first and the
    // embedded one is the fallback. `path_loader` refuses names that climb
    // out of DIR (`../`), so a template cannot read arbitrary files.
    let from_dir = dir.map(minijinja::path_loader);
    env.set_loader(move |name| {
        if let Some(load) = &from_dir {
            if let Some(source) = load(name)? {
                return Ok(Some(source));
            }
        }
        Ok(EMBEDDED.iter().find(|(n, _)| *n == name).map(|(_, s)| s.to_string()))
    });
    // Strict: a misspelt variable in an office's template is an error that
    // names it, not a silently empty figure in an official document.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // The default callback already strips `.j2` and escapes `*.html`, so
    // `briefing.html.j2` is autoescaped and `article.md.j2` is not (Markdown
    // must keep its characters). Set explicitly to document the decision.
    env.set_auto_escape_callback(minijinja::default_auto_escape_callback);
    // Control tags on their own line leave no blank line behind: the
    // article's paragraphs are built from many `{% if %}` blocks.
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    // A missing figure (`none`) printed without a filter shows as `—`, the
    // sign Chinese tables use, never as the word `none`.
    env.set_formatter(|out, state, value| {
        if value.is_none() {
            out.write_str("—").map_err(|e| minijinja::Error::new(ErrorKind::WriteFailure, e.to_string()))
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    register(&mut env);
    env
}

/// Registers every filter. Each takes `none` (a missing figure) and returns
/// `—`, except where noted; an *undefined* value (a misspelt name) is an
/// error even though filters would otherwise accept it as missing.
pub fn register(env: &mut Environment<'static>) {
    env.add_filter("amount", |v: Value| Ok(number(&v)?.map(fmt_amount).unwrap_or_else(dash)));
    env.add_filter("num", |v: Value, decimals: Option<usize>| {
        Ok(number(&v)?.map(|x| fmt_thousands(x, decimals.unwrap_or(2))).unwrap_or_else(dash))
    });
    env.add_filter("pct", |v: Value| Ok(number(&v)?.map(fmt_percent).unwrap_or_else(dash)));
    env.add_filter("growth", |v: Value| Ok(number(&v)?.map(fmt_growth).unwrap_or_else(dash)));
    env.add_filter("pp", |v: Value, label: Option<String>| {
        Ok(number(&v)?.map(|x| fmt_pp(x, label.as_deref().unwrap_or(""))).unwrap_or_else(dash))
    });
    env.add_filter("signed", |v: Value, decimals: Option<usize>| {
        Ok(number(&v)?.map(|x| fmt_signed(x, decimals.unwrap_or(1))).unwrap_or_else(dash))
    });
    // `a|diff(b)`: a − b, or none when either is missing, so that
    // `rate|diff(time_progress)|pp("时序进度")` needs no `if`.
    env.add_filter("diff", |a: Value, b: Value| -> Result<Value, minijinja::Error> {
        Ok(match (number(&a)?, number(&b)?) {
            (Some(a), Some(b)) => Value::from(a - b),
            _ => Value::from(()),
        })
    });
    env.add_filter("rank", |v: Value| Ok(number(&v)?.map(|x| fmt_rank(x.round() as i64)).unwrap_or_else(dash)));
    env.add_filter("period", |month: Value, style: Option<String>| -> Result<String, minijinja::Error> {
        let Some(m) = number(&month)? else { return Ok(dash()) };
        let m = m.round().clamp(1.0, 12.0) as u32;
        match style.as_deref() {
            None | Some("range") => Ok(fmt_period(m)),
            Some("name") => Ok(fmt_period_name(m)),
            Some(other) => Err(minijinja::Error::new(
                ErrorKind::InvalidOperation,
                format!("period 的样式只能是 \"range\" 或 \"name\"，不是 \"{other}\""),
            )),
        }
    });
    env.add_filter("completion", |v: Value, what: Option<String>| {
        Ok(number(&v)?.map(|x| fmt_completion(x, what.as_deref().unwrap_or("年度计划"))).unwrap_or_else(dash))
    });
    env.add_filter("flag_label", |v: Value| Ok(text(&v)?.map(|s| flag_label(&s).to_string()).unwrap_or_else(dash)));
    // Never `—`: a CSS class must always be a valid name.
    env.add_filter("flag_class", |v: Value| Ok(text(&v)?.map(|s| flag_class(&s)).unwrap_or("none").to_string()));
    env.add_filter("kind_label", |v: Value| Ok(text(&v)?.map(|s| kind_label(&s)).unwrap_or_else(dash)));
    env.add_filter("severity_label", |v: Value| Ok(text(&v)?.map(|s| severity_label(&s)).unwrap_or_else(dash)));
}

fn dash() -> String {
    "—".to_string()
}

fn undefined_error() -> minijinja::Error {
    minijinja::Error::new(ErrorKind::UndefinedError, "模板用了未定义的变量（名称是否写错？）")
}

/// A filter's numeric input: none → missing; undefined → error (see [`register`]).
fn number(v: &Value) -> Result<Option<f64>, minijinja::Error> {
    if v.is_undefined() {
        return Err(undefined_error());
    }
    if v.is_none() {
        return Ok(None);
    }
    let x = f64::try_from(v.clone())
        .map_err(|_| minijinja::Error::new(ErrorKind::InvalidOperation, format!("需要数值，得到的是「{v}」")))?;
    // A NaN or infinite figure is as good as missing; the model never holds
    // one, but a template's own arithmetic might produce it.
    Ok(x.is_finite().then_some(x))
}

fn text(v: &Value) -> Result<Option<String>, minijinja::Error> {
    if v.is_undefined() {
        return Err(undefined_error());
    }
    Ok((!v.is_none()).then(|| v.to_string()))
}

/// A project flag in words (正常, 滞后, 严重滞后), from its published spelling.
fn flag_label(flag: &str) -> String {
    Flag::ALL
        .into_iter()
        .find(|f| f.as_str() == flag)
        .map(|f| f.label().to_string())
        .unwrap_or_else(|| flag.to_string())
}

/// The CSS class of a project flag (`green`) or a supervision colour (`黄`).
fn flag_class(flag: &str) -> &'static str {
    Flag::ALL
        .into_iter()
        .find(|f| f.as_str() == flag)
        .map(Flag::css_class)
        .or_else(|| Colour::ALL.into_iter().find(|c| c.as_str() == flag).map(Colour::css_class))
        .unwrap_or("none")
}

fn kind_label(kind: &str) -> String {
    Kind::ALL
        .into_iter()
        .find(|k| k.as_str() == kind)
        .map(|k| k.chinese().to_string())
        .unwrap_or_else(|| kind.to_string())
}

fn severity_label(s: &str) -> String {
    Severity::ALL
        .into_iter()
        .find(|v| v.as_str() == s)
        .map(|v| v.chinese().to_string())
        .unwrap_or_else(|| s.to_string())
}

/// Renders one template; template errors name the file and line and quote
/// the line. An error in an office's own template is theirs to fix (a usage
/// error); one in the built-in templates is ours.
pub fn render(name: &str, dir: Option<&Path>, context: Vec<(&'static str, Value)>) -> Result<String, Error> {
    let env = environment(dir);
    let ctx: std::collections::BTreeMap<&str, Value> = context.into_iter().collect();
    let result = env.get_template(name).and_then(|t| t.render(ctx));
    result.map_err(|e| {
        let mut msg = format!("模板 {name} 渲染失败：{e}");
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            msg.push_str(&format!("；{s}"));
            source = s.source();
        }
        // Quote the offending line. minijinja's own debug report would also
        // dump every referenced variable, which for `report` is the whole
        // Report: far too much for a terminal.
        if let (Some(file), Some(line)) = (e.name(), e.line()) {
            if let Some(text) =
                template_source(file, dir).as_deref().and_then(|s| s.lines().nth(line.saturating_sub(1)))
            {
                msg.push_str(&format!("\n  {file} 第{line}行：{}", text.trim()));
            }
        }
        match dir {
            Some(d) => Error::Usage(format!("{msg}\n（模板目录 {}）", d.display())),
            None => Error::Internal(msg),
        }
    })
}

/// The text of a template as the environment loads it: the office's file, else the built-in one.
fn template_source(name: &str, dir: Option<&Path>) -> Option<String> {
    dir.and_then(|d| std::fs::read_to_string(d.join(name)).ok())
        .or_else(|| EMBEDDED.iter().find(|(n, _)| *n == name).map(|(_, s)| s.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_str(src: &str, ctx: Value) -> Result<String, minijinja::Error> {
        environment(None).render_str(src, ctx)
    }

    #[test]
    fn filters_in_templates() {
        let ctx = Value::from_serialize(serde_json::json!({"a": 1370000.0, "n": null, "r": 56.3, "t": 50.0, "k": 3}));
        let out = render_str("{{ a|amount }} {{ n|amount }} {{ n }} {{ r|diff(t)|pp('时序进度') }} {{ r|diff(n)|pp('时序进度') }} {{ k|rank }} {{ 6|period }} {{ 6|period('name') }}", ctx);
        assert_eq!(out.ok().as_deref(), Some("137.00亿元 — — 高于时序进度6.3个百分点 — 第三 1—6月 上半年"));
    }

    #[test]
    fn undefined_is_an_error_even_through_a_filter() {
        let ctx = Value::from_serialize(serde_json::json!({"a": 1.0}));
        assert!(render_str("{{ b }}", ctx.clone()).is_err());
        assert!(render_str("{{ b|amount }}", ctx.clone()).is_err());
        assert!(render_str("{{ a.missing|pct }}", ctx).is_err());
    }
}
