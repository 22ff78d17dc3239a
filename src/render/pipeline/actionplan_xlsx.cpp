// SPDX-License-Identifier: Apache-2.0
// `--format actionplan-xlsx` (issue 16 item 9): the action plan as a workbook the municipality
// fills in — one row per failing, erroring or waived finding (rule × subject), lisa's read-only
// columns (key, priority, severity, rule, finding, system, subject, what to do, accounts, state)
// and the municipality's (ansvarig, deadline as a date cell, status from a fixed Swedish list,
// kommentar). `--action-plan FILE` reads it back (lisa/register/action_plan.hpp); the columns
// the municipality filled in come back filled from that plan. Swedish throughout: the plan is
// the municipality's working document. libxlsxwriter writes to a file in a private temporary
// directory (as the survey export does); the bytes go to `out`.
#include <xlsxwriter.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common.hpp"
#include "lisa/register/action_plan.hpp"
#include "lisa/report/action_plan.hpp"

namespace lisa {
namespace {

using reg::action_plan_columns;
using reg::action_statuses;
using reg::kActionPlanSheet;
using reg::kColumnComment;
using reg::kColumnDeadline;
using reg::kColumnKey;
using reg::kColumnOwner;
using reg::kColumnStatus;

std::string severity_sv(Severity s) {
    switch (s) {
        case Severity::Critical: return "kritisk";
        case Severity::High: return "hög";
        case Severity::Medium: return "medel";
        case Severity::Low: return "låg";
        case Severity::Info: return "info";
    }
    return "info";
}

/// lisa's own column "Läge enligt lisa": what this scan says about the action.
std::string state_text(const ReportFinding& f, const ActionRecord* action) {
    if (action != nullptr && action->state != ActionState::Open) {
        return std::string(action_state_sv(action->state));
    }
    switch (f.status) {
        case Status::Error: return "kunde inte kontrolleras: " + f.message;
        case Status::Waived: {
            std::string text = "undantag";
            if (f.waiver) {
                text += " (" + f.waiver->decision_ref + ", gäller till " + f.waiver->expires + ")";
            }
            return text;
        }
        case Status::Fail: return "öppen";
        default: return "stängd";
    }
}

class Workbook {
public:
    explicit Workbook(const std::string& path) : book_(workbook_new(path.c_str())) {
        if (book_ == nullptr) {
            throw std::runtime_error("cannot create the action plan workbook");
        }
    }
    ~Workbook() {
        if (book_ != nullptr) {
            workbook_close(book_);
        }
    }
    Workbook(const Workbook&) = delete;
    Workbook& operator=(const Workbook&) = delete;
    lxw_workbook* get() const noexcept { return book_; }
    void close() {
        const lxw_error rc = workbook_close(book_);
        book_ = nullptr;
        if (rc != LXW_NO_ERROR) {
            throw std::runtime_error(std::string("cannot write the action plan: ") + lxw_strerror(rc));
        }
    }

private:
    lxw_workbook* book_;
};

/// The cell formats of the sheet. They are added to the workbook in this order (the order
/// fixes their index in styles.xml, so it must not change).
struct SheetFormats {
    lxw_format* header;         ///< lisa's column titles
    lxw_format* header_filled;  ///< the municipality's column titles
    lxw_format* text;           ///< lisa's read-only cells
    lxw_format* fill;           ///< the municipality's unlocked cells
    lxw_format* date;           ///< the unlocked deadline cell
};

SheetFormats add_formats(lxw_workbook* book) {
    SheetFormats f{};
    f.header = workbook_add_format(book);
    format_set_bold(f.header);
    format_set_text_wrap(f.header);
    format_set_bg_color(f.header, 0xD9E2F3);
    f.header_filled = workbook_add_format(book);
    format_set_bold(f.header_filled);
    format_set_text_wrap(f.header_filled);
    format_set_bg_color(f.header_filled, 0xFFF2CC);
    f.text = workbook_add_format(book);
    format_set_text_wrap(f.text);
    format_set_align(f.text, LXW_ALIGN_VERTICAL_TOP);
    f.fill = workbook_add_format(book);
    format_set_text_wrap(f.fill);
    format_set_align(f.fill, LXW_ALIGN_VERTICAL_TOP);
    format_set_unlocked(f.fill);
    f.date = workbook_add_format(book);
    format_set_num_format(f.date, "yyyy-mm-dd");
    format_set_align(f.date, LXW_ALIGN_VERTICAL_TOP);
    format_set_unlocked(f.date);
    return f;
}

/// The column index of a column title (the first column when the title is unknown).
lxw_col_t col(const char* title) {
    const auto& columns = action_plan_columns();
    for (std::size_t c = 0; c < columns.size(); ++c) {
        if (std::string(columns[c].title) == title) {
            return static_cast<lxw_col_t>(c);
        }
    }
    return static_cast<lxw_col_t>(0);
}

void write_header_row(lxw_worksheet* sheet, const SheetFormats& fmt) {
    const auto& columns = action_plan_columns();
    for (std::size_t c = 0; c < columns.size(); ++c) {
        worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), columns[c].title,
                               columns[c].filled_by_municipality ? fmt.header_filled : fmt.header);
    }
}

/// lisa's read-only cells of one finding's row.
void write_lisa_cells(lxw_worksheet* sheet, lxw_row_t r, const ReportDocument& report, const ReportFinding& f,
                      const ActionRecord* action, const SheetFormats& fmt) {
    const RuleEntry* rule = report.find_rule(f.rule);
    std::string title = rule != nullptr ? render_pipeline::localized(rule->title, "sv") : "";
    if (title.empty()) {
        title = render_pipeline::localized(f.title, "sv");
    }
    const std::string remediation = rule != nullptr ? render_pipeline::localized(rule->remediation, "sv") : "";
    const std::string subject =
        f.subject_name.empty() || f.subject_name == f.subject ? f.subject : f.subject_name + " (" + f.subject + ")";
    // Cells hold text, never formulas: worksheet_write_string stores a shared string as is.
    const std::vector<std::pair<const char*, std::string>> cells = {
        {kColumnKey, action_key(f.rule, f.subject)},
        {"Allvarlighet", severity_sv(f.severity)},
        {"Regel", f.rule},
        {"Brist", title},
        {"System", f.system.value_or("")},
        {"Objekt", subject},
        {"Vad som ska göras", remediation},
        {"Konton", accounts_text(f, "sv")},
        {"Läge enligt lisa", state_text(f, action)},
    };
    for (const auto& [title_of, value] : cells) {
        if (!value.empty()) {
            worksheet_write_string(sheet, r, col(title_of), xml_clean(value).c_str(), fmt.text);
        }
    }
    worksheet_write_number(sheet, r, col("Prioritet"), render_pipeline::severity_rank(f.severity) + 1, fmt.text);
}

/// The municipality's cells of one finding's row: from the plan read back, else the system
/// owner as a start.
void write_municipality_cells(lxw_worksheet* sheet, lxw_row_t r, const ReportFinding& f, const ActionRecord* action,
                              const SheetFormats& fmt) {
    const std::string owner = action != nullptr ? action->owner : f.owner.value_or("");
    worksheet_write_string(sheet, r, col(kColumnOwner), xml_clean(owner).c_str(), fmt.fill);
    const auto deadline = action != nullptr ? Date::parse(action->deadline) : std::nullopt;
    if (deadline) {
        const std::string ymd = deadline->to_string();
        lxw_datetime when{std::stoi(ymd.substr(0, 4)), std::stoi(ymd.substr(5, 2)), std::stoi(ymd.substr(8, 2)),
                          0, 0, 0};
        worksheet_write_datetime(sheet, r, col(kColumnDeadline), &when, fmt.date);
    } else {
        worksheet_write_blank(sheet, r, col(kColumnDeadline), fmt.date);
    }
    worksheet_write_string(sheet, r, col(kColumnStatus), action != nullptr ? action->status.c_str() : "", fmt.fill);
    worksheet_write_string(sheet, r, col(kColumnComment),
                           action != nullptr ? xml_clean(action->comment).c_str() : "", fmt.fill);
}

/// One row per action; returns the first row after them.
lxw_row_t write_finding_rows(lxw_worksheet* sheet, const ReportDocument& report, const SheetFormats& fmt) {
    lxw_row_t r = 1;
    for (const ReportFinding* f : action_rows(report)) {
        const ActionRecord* action = find_action(report, f->rule, f->subject);
        write_lisa_cells(sheet, r, report, *f, action, fmt);
        write_municipality_cells(sheet, r, *f, action, fmt);
        ++r;
    }
    return r;
}

/// The status list and the date check on rows 1..last.
void add_validations(lxw_worksheet* sheet, lxw_row_t last) {
    std::vector<std::string> statuses = action_statuses();
    std::vector<char*> list;
    for (auto& s : statuses) {
        list.push_back(s.data());
    }
    list.push_back(nullptr);
    lxw_data_validation status{};
    status.validate = LXW_VALIDATION_TYPE_LIST;
    status.value_list = list.data();
    status.ignore_blank = LXW_VALIDATION_ON;
    std::string status_error = "Välj en status ur listan.";
    status.error_message = status_error.data();
    worksheet_data_validation_range(sheet, 1, col(kColumnStatus), last, col(kColumnStatus), &status);
    lxw_data_validation when{};
    when.validate = LXW_VALIDATION_TYPE_DATE;
    when.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN;
    when.minimum_datetime = lxw_datetime{2000, 1, 1, 0, 0, 0};
    when.value_datetime = lxw_datetime{2000, 1, 1, 0, 0, 0};
    when.ignore_blank = LXW_VALIDATION_ON;
    std::string date_error = "Ange ett datum (ÅÅÅÅ-MM-DD).";
    when.error_message = date_error.data();
    worksheet_data_validation_range(sheet, 1, col(kColumnDeadline), last, col(kColumnDeadline), &when);
}

/// Empty unlocked cells in the municipality's columns for rows first..last.
void write_blank_rows(lxw_worksheet* sheet, lxw_row_t first, lxw_row_t last, const SheetFormats& fmt) {
    for (lxw_row_t extra = first; extra <= last; ++extra) {
        for (const char* t : {kColumnOwner, kColumnStatus, kColumnComment}) {
            worksheet_write_blank(sheet, extra, col(t), fmt.fill);
        }
        worksheet_write_blank(sheet, extra, col(kColumnDeadline), fmt.date);
    }
}

void set_column_widths(lxw_worksheet* sheet) {
    worksheet_set_column(sheet, col(kColumnKey), col(kColumnKey), 26, nullptr);
    worksheet_set_column(sheet, col("Prioritet"), col("Regel"), 11, nullptr);
    worksheet_set_column(sheet, col("Brist"), col("Brist"), 40, nullptr);
    worksheet_set_column(sheet, col("System"), col("Objekt"), 20, nullptr);
    worksheet_set_column(sheet, col("Vad som ska göras"), col("Vad som ska göras"), 60, nullptr);
    worksheet_set_column(sheet, col("Konton"), col("Läge enligt lisa"), 24, nullptr);
    worksheet_set_column(sheet, col(kColumnOwner), col(kColumnOwner), 24, nullptr);
    worksheet_set_column(sheet, col(kColumnDeadline), col(kColumnStatus), 14, nullptr);
    worksheet_set_column(sheet, col(kColumnComment), col(kColumnComment), 40, nullptr);
}

/// lisa's columns are locked (no password: a guard against slips, not a control); sorting,
/// filtering and column widths stay free.
void protect_sheet(lxw_worksheet* sheet) {
    lxw_protection protection{};
    protection.sort = 1;
    protection.autofilter = 1;
    protection.format_columns = 1;
    protection.format_rows = 1;
    worksheet_protect(sheet, nullptr, &protection);
}

void write_sheet(const ReportDocument& report, lxw_workbook* book) {
    lxw_worksheet* sheet = workbook_add_worksheet(book, kActionPlanSheet);
    const SheetFormats fmt = add_formats(book);
    write_header_row(sheet, fmt);
    const lxw_row_t r = write_finding_rows(sheet, report, fmt);
    // The status list and the date check on every row the plan has, and a few more for rows
    // the municipality adds by hand.
    const lxw_row_t last = r + 50;
    add_validations(sheet, last);
    write_blank_rows(sheet, r, last, fmt);
    set_column_widths(sheet);
    worksheet_freeze_panes(sheet, 1, 1);
    worksheet_autofilter(sheet, 0, 0, r - 1, static_cast<lxw_col_t>(action_plan_columns().size() - 1));
    protect_sheet(sheet);
}

}  // namespace

void render_actionplan_xlsx(const ReportDocument& report, const RenderOptions& /*options*/, std::ostream& out) {
    namespace fs = std::filesystem;
    std::string dir = (fs::temp_directory_path() / "lisa-actionplan-XXXXXX").string();
    if (::mkdtemp(dir.data()) == nullptr) {
        throw std::runtime_error("cannot create a temporary directory for the action plan");
    }
    struct Cleanup {
        std::string dir;
        ~Cleanup() {
            std::error_code ec;
            fs::remove_all(dir, ec);
        }
    } cleanup{dir};
    const std::string path = dir + "/actionplan.xlsx";
    {
        Workbook book(path);
        // The document's dates are the audit date, so the same report gives the same bytes.
        lxw_doc_properties properties{};
        std::string title = "Åtgärdsplan — " + report.organization.name;
        properties.title = title.data();
        if (const auto date = Date::parse(report.run.as_of)) {
            properties.created = static_cast<time_t>(date->days * 86400);
        }
        workbook_set_properties(book.get(), &properties);
        write_sheet(report, book.get());
        book.close();
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in.good() && !in.eof()) {
        throw std::runtime_error("cannot read back the action plan workbook");
    }
    out << bytes.str();
}

}  // namespace lisa
