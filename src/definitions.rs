//! The definition and unit of every figure in `metrics.json`, written once.
//!
//! `docs/metrics.md` is rendered from this table (a test keeps it current)
//! and the workbook's 说明 sheet lists the same rows, so a definition is
//! never written twice and cannot drift between the documents.

/// (key in metrics.json, Chinese name, unit, definition).
pub const METRICS: &[(&str, &str, &str, &str)] = &[
    ("as_of", "统计截止月份", "YYYY-MM", "`--period` 给出的月份（2023Q1→2023-03，2023H1→2023-06，2023→2023-12），缺省为重点项目和经济指标中最新的报告期。所有数据均为1—M月累计。"),
    ("year / month", "年份 / 月份", "", "as_of 的年和月。"),
    ("office / title / area", "单位 / 标题 / 范围称谓", "", "来自 statbrief.toml；area 为文中对全域的称谓（全县、全市…），为空时按单位名称推断。"),
    ("projects.source_period", "项目数据所用月份", "YYYY-MM", "本年 as_of 及以前最新一期重点项目台账的月份；与 as_of 不同时另有警告。"),
    ("projects.total.count", "项目个数", "个", "所用月份台账中接收的项目行数。本年截至 as_of 没有重点项目台账时，count、new_starts、started 为 null（不是 0）。"),
    ("projects.total.plan", "年度计划投资", "万元", "Σ plan_year（年度计划投资）。"),
    ("projects.total.done", "本年累计完成投资", "万元", "Σ done_ytd（本年累计完成投资）。"),
    ("projects.total.completion_rate", "完成率", "%", "done / plan × 100；plan 为 0 或空时为 null。"),
    ("projects.total.time_progress", "时序进度", "%", "M / 12 × 100。"),
    ("projects.total.flag", "进度标识", "green/yellow/red", "completion_rate ≥ time_progress 为 green；低于时序进度不超过 yellow_band_pp（默认10）个百分点为 yellow；否则 red。"),
    ("projects.total.new_starts", "新开工项目", "个", "开工日期在 [Y-01-01, M月末] 内的项目；无开工日期而状态为“新开工”的也计入。"),
    ("projects.total.started", "已开工项目", "个", "状态为 新开工、在建 或 投产 的项目。"),
    ("projects.total.started_rate", "开工率", "%", "started / count × 100。"),
    ("projects.total.target", "年度投资目标", "万元", "目标任务表中该范围（全县/全市… 或该地区）“年度投资”的目标值；没有则为 null。"),
    ("projects.total.target_completion_rate", "目标完成率", "%", "done / target × 100。"),
    ("projects.total.new_start_target", "新开工目标", "个", "目标任务表中“新开工项目”的目标值。"),
    ("projects.total.new_start_target_rate", "新开工目标完成率", "%", "new_starts / new_start_target × 100。"),
    ("projects.by_region / by_chain / by_leader / by_level", "分组", "", "同上各项，按地区、产业链、包抓领导、项目级别分组；标签在 region/chain/leader/level 字段，空标签为“（未填报）”，列出但不参加排名。地区按 statbrief.toml 的 region_order 排列。"),
    ("projects.by_*.rank", "排名", "名", "按 completion_rate 从高到低的竞争排名，并列取较小名次（1, 2, 2, 4）；rate 为 null 时无排名。"),
    ("projects.monthly[].done", "逐月累计完成投资", "万元", "本年 1..M 月中每个有台账的月份的 Σ done_ytd。"),
    ("projects.items[]", "项目明细", "", "所用月份的每个项目：计划、完成、完成率、标识、状态、开工日期，以及来源文件、工作表和行号。"),
    ("indicators[].ytd", "本年累计", "指标单位（货币为万元）", "该地区该指标 M 月的 value_ytd。"),
    ("indicators[].ytd_ly", "去年同期", "同上", "表中的“去年同期”；没有时取上年同月同地区同指标月报的本年累计。"),
    ("indicators[].growth", "同比增长", "%", "(ytd / ytd_ly − 1) × 100；两者缺一时取表中填报的增速。"),
    ("indicators[].month / month_prev / mom", "本月 / 上月 / 环比", "% (mom)", "本月值、M−1 月的本月值，mom = (month / month_prev − 1) × 100。"),
    ("indicators[].rank", "增速排名", "名", "同一指标各地区按 growth 从高到低的竞争排名；“全部”无排名。"),
    ("indicators[].contribution_pp", "拉动", "百分点", "(ytd − ytd_ly) / Σ地区 ytd_ly × 100。"),
    ("indicators[].contribution_share", "贡献率", "%", "(ytd − ytd_ly) / (Σ ytd − Σ ytd_ly) × 100。"),
    ("indicators[].target_growth / gap_pp", "增速目标 / 差距", "% / 百分点", "“%”目标：target_growth 为目标增速，gap_pp = growth − target_growth。"),
    ("indicators[].target / target_completion_rate", "总量目标 / 完成率", "指标单位 / %", "总量目标：target 为目标值，target_completion_rate = ytd / target × 100。"),
    ("indicators[] region = 全部", "全部（合计）", "", "ytd = 各地区 ytd 之和。growth 依次取：(1) 有 ytd 的地区都有 ytd_ly 时，由两和计算；(2) 否则取合计行（合计、全县等，不含“其中”行）填报的增速；(3) 否则按同口径（同时有两值的地区）计算，并警告未计入的地区；(4) 否则为空。从不平均各地区增速。Σ month 与其环比（1月的上月取上年12月）；无排名和拉动。合计行与各地区之和相差超过0.5%时警告“合计与分项之和不符”，合计行增速与按地区计算的增速相差超过0.1个百分点时也警告，均采用按地区计算的数。只有全域表（无地区列的全县主要指标表）或合计行、没有分地区数据的指标，“全部”取其填报数：ytd、month 为填报值，ytd_ly 为填报的去年同期（没有时取上年同月全域表的本年累计），growth 为填报增速（没有时由 ytd、ytd_ly 计算），环比的上月取上月全域表的本月值。"),
    ("indicators[] 三种版式", "长表 / 全域表 / 宽表", "", "长表：每行一个地区的一个指标。全域表：有指标列、无地区列，各行为全县（全市…）的填报数，地区记为标题中的“全县”等。宽表：每行一个地区，每个指标一个合并分组表头，下分本月、1-N月累计、去年同期、增速等；每个（行，分组）展开为一条长表数据，分组表头括号中的单位（否则单位行）为其单位，整理数据的 source_cells 记录取数单元格（如 D5:E5）。三种版式计算口径完全相同。"),
    ("visits.source_period", "走访数据最新月份", "YYYY-MM", "本年 as_of 及以前最新一期走访问题台账工作表的月份；没有台账时为 null，此时 visits、enterprises、cadres、problems、resolved、in_progress、unresolvable、overdue_count 均为 null（不是 0）。只有表头、没有数据行的工作表算作有台账，各数为 0。"),
    ("visits.visits / enterprises / cadres", "走访次数 / 企业数 / 干部数", "次 / 家 / 人", "不同的走访键（走访编号，否则 日期+干部+企业）、不同的企业（统一社会信用代码，否则名称）、不同的干部。只计本年、走访日期不晚于 M 月末的行；同一问题出现在多期台账时以最新一期为准。"),
    ("visits.problems / resolved / in_progress / unresolvable", "问题 / 已解决 / 办理中 / 无法解决", "个", "问题描述非空、且不是“无”“暂无”“无诉求”等表示没有问题的行，按办理状态分；无状态的计为办理中；办结日期晚于统计截止月末的，截至该月仍计为办理中。"),
    ("visits.resolution_rate", "问题解决率", "%", "resolved / problems × 100。"),
    ("visits.on_time_rate", "按期办结率", "%", "办结日期不晚于办结时限的已解决问题 / 有办结日期的已解决问题 × 100。办结时限缺省为走访日期 + 层级天数（当场办3，部门办15，领导办30，未填15；可配置）。"),
    ("visits.median_days", "办结天数中位数", "天", "已解决问题（办结日期 − 走访日期）的中位数。"),
    ("visits.satisfaction_rate", "企业满意率", "%", "(满意 + 基本满意) / 有满意度评价的问题 × 100。"),
    ("visits.overdue / overdue_count", "逾期问题", "天", "未解决（含无法解决）且办结时限早于 M 月末的问题；days_overdue = M 月末 − 办结时限；督办颜色 蓝（1–7天）、黄（8–30天）、红（30天以上），阈值可配置。按逾期天数从多到少排列。metrics.json 只列逾期最久的 1000 个（overdue_count 为总数），完整清单见 data/overdue.parquet、data/overdue.csv 和 briefing.xlsx「逾期督办」工作表。"),
    ("visits.resolution_target / satisfaction_target", "问题解决率目标 / 企业满意率目标", "%", "目标任务表中“问题解决率”“企业满意率”的全县（全市…）目标。"),
    ("visits.by_category / by_tier / by_region / by_unit", "分类 / 分层级 / 分地区 / 分单位", "", "与全部问题相同的各项：problems、resolved、in_progress、unresolvable、resolution_rate、on_time_rate、median_days、satisfaction_rate、overdue_count；标签在 category/tier/region/cadre_unit 字段，空标签为“（未填报）”，列出但不参加排名；by_unit 按 resolution_rate 竞争排名。"),
    ("visits.monthly[]", "逐月走访", "", "按走访日期所在月份：走访次数、问题数、其中已解决数。"),
    ("data_quality", "数据质量", "", "每个文件（路径、SHA-256）和工作表（类型、报告期、行数 = 接收 + 空行 + 合计行 + 拒收、未读取原因），以及每条问题（级别、文件、工作表、单元格、列、原值、说明）。"),
];

/// `docs/metrics.md`, rendered from [`METRICS`].
pub fn metrics_markdown() -> String {
    let mut s = String::from(
        "# metrics.json\n\nEvery key of `metrics.json`, its definition and unit (SPEC §2–3). This file is generated from \
         `src/definitions.rs`; the test `docs_metrics_md_is_current` fails when they differ \
         (`UPDATE_DOCS=1 cargo test --release` rewrites it). Nothing is rounded in `metrics.json`; missing figures are `null`, \
         never 0 or NaN. Money is in 万元, percentages in percent (14.7, not 0.147).\n\n| key | 名称 | 单位 | 定义 |\n|---|---|---|---|\n",
    );
    for (key, name, unit, def) in METRICS {
        s.push_str(&format!("| `{key}` | {name} | {unit} | {def} |\n"));
    }
    s
}
