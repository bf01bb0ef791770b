#include "model/calendar.h"

#include <algorithm>
#include <cstdio>
#include <utility>

namespace cobuild::model {

namespace {

constexpr const char* kMonthNames[12] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};

// `width` decimal digits at text[from], nothing else.
bool ReadDigits(std::string_view text, size_t from, size_t width, int& out) {
  if (from + width > text.size()) return false;
  out = 0;
  for (size_t i = from; i < from + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

// "expected a date as YYYY-MM-DD, got "2027-02-30" (February 2027 has 28
// days)"; a long text is cut, so a pasted paragraph gives a readable line.
std::unexpected<Error> Expected(std::string_view what, std::string_view text, const std::string& why) {
  constexpr size_t kShown = 40;
  std::string message = "expected " + std::string(what) + ", got \"";
  message += text.size() > kShown ? std::string(text.substr(0, kShown)) + "..." : std::string(text);
  message += "\"";
  if (!why.empty()) message += " (" + why + ")";
  return InvalidInput(std::move(message));
}

// Why a well-formed year or month is not one: "" when it is.
std::string CheckYearMonth(std::string_view text, YearMonth ym) {
  if (ym.year < kMinYear || ym.year > kMaxYear) {
    return "years are " + std::to_string(kMinYear) + " to " + std::to_string(kMaxYear);
  }
  if (ym.month < 1 || ym.month > 12) return "there is no month " + std::string(text.substr(5, 2));
  return "";
}

}  // namespace

Result<YearMonth> ParseYearMonth(std::string_view text) {
  constexpr std::string_view kWhat = "a month as YYYY-MM";
  YearMonth ym;
  if (text.size() != 7 || text[4] != '-' || !ReadDigits(text, 0, 4, ym.year) ||
      !ReadDigits(text, 5, 2, ym.month)) {
    return Expected(kWhat, text, "");
  }
  if (std::string why = CheckYearMonth(text, ym); !why.empty()) return Expected(kWhat, text, why);
  return ym;
}

Result<Date> ParseDate(std::string_view text) {
  constexpr std::string_view kWhat = "a date as YYYY-MM-DD";
  Date date;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ReadDigits(text, 0, 4, date.year) ||
      !ReadDigits(text, 5, 2, date.month) || !ReadDigits(text, 8, 2, date.day)) {
    return Expected(kWhat, text, "");
  }
  if (std::string why = CheckYearMonth(text, MonthOf(date)); !why.empty()) return Expected(kWhat, text, why);
  const int days = DaysInMonth(date.year, date.month);
  if (date.day < 1 || date.day > days) {
    return Expected(kWhat, text,
                    date.day < 1 ? "there is no day 00"
                                 : std::string(kMonthNames[date.month - 1]) + " " +
                                       std::to_string(date.year) + " has " + std::to_string(days) + " days");
  }
  return date;
}

std::string ToString(Date date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buffer;
}

// Howard Hinnant's days_from_civil / civil_from_days
// (http://howardhinnant.github.io/date_algorithms.html).
int DaysFromCivil(Date date) {
  const int y = date.year - (date.month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int mp = (date.month + 9) % 12;
  const int doy = (153 * mp + 2) / 5 + date.day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date CivilFromDays(int days) {
  const int z = days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  return {.year = yoe + era * 400 + (m <= 2 ? 1 : 0), .month = m, .day = d};
}

// 1970-01-01 was a Thursday (weekday index 3 with Monday = 0).
int Weekday(Date date) { return ((DaysFromCivil(date) % 7) + 7 + 3) % 7; }

bool IsWeekday(Date date) { return Weekday(date) < 5; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

Date LastDay(YearMonth ym) { return {ym.year, ym.month, DaysInMonth(ym.year, ym.month)}; }

std::string ToString(YearMonth ym) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d", ym.year, ym.month);
  return buffer;
}

int MonthsBetween(YearMonth a, YearMonth b) { return (b.year - a.year) * 12 + (b.month - a.month); }

YearMonth AddMonths(YearMonth ym, int months) {
  int index = ym.year * 12 + (ym.month - 1) + months;
  // Floor division keeps negative offsets correct.
  int year = index >= 0 ? index / 12 : -((-index + 11) / 12);
  return {.year = year, .month = index - year * 12 + 1};
}

int Horizon::IndexOf(YearMonth ym) const {
  const int t = MonthsBetween(first, ym);
  return t >= 0 && t < num_months ? t : -1;
}

std::vector<int> Horizon::Years() const {
  std::vector<int> years;
  for (int t = 0; t < num_months; ++t) {
    const int y = MonthAt(t).year;
    if (years.empty() || years.back() != y) years.push_back(y);
  }
  return years;
}

void ApplyShutdowns(const Horizon& horizon, Calendar& calendar) {
  calendar.working_days = calendar.base_working_days;
  for (const Shutdown& shutdown : calendar.shutdowns) {
    double days_to_remove = shutdown.weeks * kDaysPerShutdownWeek;
    for (int t = MonthsBetween(horizon.first, shutdown.month); t < horizon.num_months && days_to_remove > 0;
         ++t) {
      if (t < 0) continue;  // scenario validation keeps shutdowns inside the horizon
      double& days = calendar.working_days[static_cast<size_t>(t)];
      const double removed = std::min(days, days_to_remove);
      days -= removed;
      days_to_remove -= removed;
    }
  }
}

}  // namespace cobuild::model
