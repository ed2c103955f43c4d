#include "core/i18n.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "core/embedded_locales.h"
#include "core/format.h"
#include "core/i18n_message.h"

namespace sakai {
namespace {

const char* const kLanguages[] = {"en", "fa", "ar"};

const I18n& embedded() {
  static const I18n i18n = [] {
    auto r = I18n::from_embedded();
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? std::move(r).value() : I18n();
  }();
  return i18n;
}

// The raw template as written in `lang`'s catalog.
std::string raw(const I18n& i18n, const std::string& lang, const std::string& key) {
  const std::string* m = i18n.message(lang, key);
  return m ? *m : std::string();
}

std::vector<i18n_message::Placeholder> placeholders_of(const I18n& i18n, const std::string& lang,
                                                       const std::string& key) {
  auto p = i18n_message::placeholders(raw(i18n, lang, key));
  EXPECT_TRUE(p.is_ok()) << lang << " " << key << ": " << p.status().to_string();
  return p.is_ok() ? std::move(p).value() : std::vector<i18n_message::Placeholder>{};
}

// name -> how its value is treated: "text" and "duration" change what a value means and must
// agree across languages; a plural or select block and a plain {name} are the same value.
std::map<std::string, std::string> value_kinds(const std::vector<i18n_message::Placeholder>& ps) {
  std::map<std::string, std::string> out;
  for (const auto& p : ps) {
    const std::string kind = (p.type == "text" || p.type == "duration") ? p.type : "";
    auto [it, fresh] = out.emplace(p.name, kind);
    if (!fresh && it->second.empty()) it->second = kind;
  }
  return out;
}

std::string join(const std::map<std::string, std::string>& m) {
  std::string out;
  for (const auto& [k, v] : m)
    out += (out.empty() ? "" : ", ") + k + (v.empty() ? "" : ":" + v);
  return out;
}

TEST(CoreI18n, EmbeddedCatalogsLoad) {
  const I18n& i18n = embedded();
  for (const char* lang : kLanguages) {
    EXPECT_TRUE(i18n.has_language(lang)) << lang;
    EXPECT_FALSE(i18n.keys(lang).empty()) << lang;
  }
  EXPECT_EQ(i18n.language_name("en"), "English");
  EXPECT_EQ(i18n.language_name("fa"), "فارسی");
  EXPECT_EQ(i18n.language_name("ar"), "العربية");
  EXPECT_FALSE(i18n.has_language("xx"));
}

TEST(CoreI18n, EmbeddedCatalogsMatchTheLocaleFiles) {
  // The catalogs are compiled in; a stale or mangled copy (e.g. a multi-byte character split
  // while embedding) would show up here.
  for (const auto& loc : core::embedded_locales()) {
    std::ifstream in(std::string(SAKAIBOT_SOURCE_DIR) + "/locales/" + loc.lang + ".toml",
                     std::ios::binary);
    ASSERT_TRUE(in) << loc.lang;
    std::ostringstream file;
    file << in.rdbuf();
    EXPECT_EQ(loc.toml, file.str()) << loc.lang;
  }
}

TEST(CoreI18n, EveryKeyExistsInEveryCatalog) {
  const I18n& i18n = embedded();
  for (const char* a : kLanguages) {
    for (const char* b : kLanguages) {
      if (std::string(a) == b) continue;
      for (const auto& key : i18n.keys(a)) {
        EXPECT_TRUE(i18n.has_key(b, key)) << key << " is in " << a << " but not in " << b;
      }
    }
  }
}

TEST(CoreI18n, TranslationsUseTheSamePlaceholdersAsEnglish) {
  const I18n& i18n = embedded();
  for (const auto& key : i18n.keys("en")) {
    const auto want = value_kinds(placeholders_of(i18n, "en", key));
    for (const char* lang : {"fa", "ar"}) {
      if (!i18n.has_key(lang, key)) continue;  // reported by EveryKeyExistsInEveryCatalog
      const auto got = value_kinds(placeholders_of(i18n, lang, key));
      EXPECT_EQ(got, want) << lang << " " << key << ": {" << join(got) << "} vs en {" << join(want)
                           << "}";
    }
  }
}

TEST(CoreI18n, PluralBlocksUseExactlyTheLanguagesCategories) {
  // Every plural block names each category the language distinguishes (ar: all six) and no
  // other; "=N" branches come on top.
  const I18n& i18n = embedded();
  int blocks = 0;
  for (const char* lang : kLanguages) {
    const auto cats = l10n::plural_categories(lang);
    const std::set<std::string> valid(cats.begin(), cats.end());
    for (const auto& key : i18n.keys(lang)) {
      for (const auto& p : placeholders_of(i18n, lang, key)) {
        if (p.type != "plural") continue;
        ++blocks;
        std::set<std::string> seen;
        for (const auto& sel : p.selectors) {
          if (sel.front() == '=') continue;
          EXPECT_TRUE(valid.count(sel))
              << lang << " " << key << ": \"" << sel << "\" is not a plural category of " << lang;
          EXPECT_TRUE(seen.insert(sel).second) << lang << " " << key << ": " << sel << " twice";
        }
        for (const auto& c : valid)
          EXPECT_TRUE(seen.count(c)) << lang << " " << key << ": no \"" << c << "\" branch";
      }
    }
  }
  EXPECT_GT(blocks, 20) << "the catalogs are expected to use plural blocks";
}

TEST(CoreI18n, EveryCatalogMessageParses) {
  const I18n& i18n = embedded();
  for (const char* lang : kLanguages) {
    for (const auto& key : i18n.keys(lang)) {
      auto p = i18n_message::placeholders(raw(i18n, lang, key));
      EXPECT_TRUE(p.is_ok()) << lang << " " << key << ": " << p.status().to_string();
    }
  }
}

TEST(CoreI18n, NoTranslationIsEmpty) {
  const I18n& i18n = embedded();
  for (const auto& key : i18n.keys("en")) {
    for (const char* lang : kLanguages) {
      EXPECT_FALSE(raw(i18n, lang, key).empty()) << lang << " " << key;
    }
  }
}

TEST(CoreI18n, MetaDirection) {
  const I18n& i18n = embedded();
  EXPECT_EQ(raw(i18n, "en", "meta.direction"), "ltr");
  EXPECT_EQ(raw(i18n, "fa", "meta.direction"), "rtl");
  EXPECT_EQ(raw(i18n, "ar", "meta.direction"), "rtl");
  EXPECT_FALSE(i18n.is_rtl("en"));
  EXPECT_TRUE(i18n.is_rtl("fa"));
  EXPECT_TRUE(i18n.is_rtl("ar"));
  EXPECT_FALSE(i18n.is_rtl("xx"));
}

TEST(CoreI18n, SubstitutesPlaceholders) {
  I18n i18n;
  ASSERT_TRUE(
      i18n.add_catalog("en", "[t]\nx = \"{a} and {b}, {a} again; {missing} stays\"\n").is_ok());
  EXPECT_EQ(i18n.tr("en", "t.x", {{"a", "1"}, {"b", "two"}}),
            "1 and two, 1 again; {missing} stays");
  // A value that looks like a placeholder is not expanded again.
  EXPECT_EQ(i18n.tr("en", "t.x", {{"a", "{b}"}, {"b", "B"}}),
            "{b} and B, {b} again; {missing} stays");
}

TEST(CoreI18n, RtlCatalogIsolatesLeftToRightValues) {
  const I18n& i18n = embedded();
  const std::string fa = i18n.tr("fa", "lang.current", {{"language", "English"}, {"code", "en"}});
  EXPECT_NE(fa.find("\u2068English\u2069"), std::string::npos) << fa;
  EXPECT_NE(fa.find("\u2068en\u2069"), std::string::npos) << fa;
  // Persian values need no isolation in a Persian sentence; a plain number is written in Persian
  // digits (and needs none either).
  const std::string fa2 = i18n.tr("fa", "lang.current", {{"language", "فارسی"}, {"code", "42"}});
  EXPECT_EQ(fa2.find("\u2068"), std::string::npos) << fa2;
  EXPECT_NE(fa2.find("(۴۲)"), std::string::npos) << fa2;
  // A command has no letters but its slash would attach to the Persian text: isolated too.
  EXPECT_EQ(i18n.isolate_for("fa", "/ping 5"), "\u2068/ping 5\u2069");
  EXPECT_EQ(i18n.isolate_for("ar", "gemini-2.5"), "\u2068gemini-2.5\u2069");
}

TEST(CoreI18n, LtrCatalogLeavesLeftToRightValuesAlone) {
  const I18n& i18n = embedded();
  const std::string en = i18n.tr("en", "lang.current", {{"language", "English"}, {"code", "en"}});
  EXPECT_EQ(en, "Your language: English (en)");
  EXPECT_EQ(i18n.isolate_for("en", "/ping"), "/ping");
  // ... but isolates a right-to-left value inside an English sentence.
  EXPECT_EQ(i18n.isolate_for("en", "فارسی"), "\u2068فارسی\u2069");
}

TEST(CoreI18n, MultiLineValuesAreNotIsolated) {
  const I18n& i18n = embedded();
  EXPECT_EQ(i18n.isolate_for("fa", "line one\nline two"), "line one\nline two");
}

TEST(CoreI18n, MissingKeyFallsBackToEnglishThenToTheKey) {
  I18n i18n;
  ASSERT_TRUE(
      i18n.add_catalog("en", "[t]\nboth = \"en both\"\nonly_en = \"hello {name}\"\n").is_ok());
  ASSERT_TRUE(
      i18n.add_catalog("fa", "[meta]\ndirection = \"rtl\"\n[t]\nboth = \"فا هر دو\"\n").is_ok());
  EXPECT_EQ(i18n.tr("fa", "t.both"), "فا هر دو");
  // English fallback; the value is substituted by English rules (no isolates for Latin text).
  EXPECT_EQ(i18n.tr("fa", "t.only_en", {{"name", "Ali"}}), "hello Ali");
  EXPECT_EQ(i18n.tr("xx", "t.both"), "en both");  // unknown language
  EXPECT_EQ(i18n.tr("fa", "t.nowhere"), "t.nowhere");
}

TEST(CoreI18n, BadCatalogsAreRefused) {
  I18n i18n;
  const Status syntax = i18n.add_catalog("zz", "[t\nx = 1");
  EXPECT_FALSE(syntax.is_ok());
  EXPECT_NE(syntax.message().find("zz"), std::string::npos) << syntax.message();
  const Status type = i18n.add_catalog("zz", "[t]\nx = 1\n");
  EXPECT_FALSE(type.is_ok());
  EXPECT_NE(type.message().find("t.x"), std::string::npos) << type.message();
  EXPECT_FALSE(i18n.has_language("zz"));
}

TEST(CoreI18n, CatalogCanBeReplaced) {
  I18n i18n;
  ASSERT_TRUE(i18n.add_catalog("en", "[t]\nx = \"one\"\n").is_ok());
  ASSERT_TRUE(i18n.add_catalog("en", "[t]\nx = \"two\"\n").is_ok());
  EXPECT_EQ(i18n.tr("en", "t.x"), "two");
  EXPECT_EQ(i18n.languages(), std::vector<std::string>{"en"});
}

}  // namespace
}  // namespace sakai
