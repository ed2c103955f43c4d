// /chats [groups|private|all] [refresh] — the account's chats and their ids, answered from a
// cache in storage. The cache is filled from Telegram when asked (refresh), when it is empty,
// and when it is a day old.
// /topics <chat id> — the topics of a forum group and their ids (for topic mappings).
#include <chrono>
#include <memory>
#include <optional>

#include "commands/services.h"
#include "core/text.h"
#include "features/builtin/builtin.h"

namespace sakai::features {

using commands::Access;
using commands::CommandContext;
using commands::CommandForm;
using commands::CommandSpec;
using commands::Registry;

namespace {

constexpr std::int64_t kMaxCacheAgeMs = std::chrono::milliseconds(std::chrono::hours(24)).count();
constexpr int kFetchLimit = 500;

enum class Filter { kAll, kGroups, kPrivate };

bool is_group(ChatKind kind) {
  return kind == ChatKind::kGroup || kind == ChatKind::kSupergroup || kind == ChatKind::kForumTopic;
}

bool is_private(ChatKind kind) {
  return kind == ChatKind::kPrivate || kind == ChatKind::kSavedMessages;
}

// Every argument given, in both the space and the equals form ("/chats=groups=refresh").
std::vector<std::string> arguments(const CommandContext& ctx) {
  std::vector<std::string> args = ctx.line.args;
  if (ctx.line.form == CommandForm::kEquals && !ctx.line.text.empty()) {
    for (auto& w : text::split_whitespace(ctx.line.text))
      args.push_back(std::move(w));
  }
  return args;
}

// A chat id: groups and channels have negative ids ("-1001234567890"); Persian and
// Arabic-Indic digits are accepted.
std::optional<std::int64_t> parse_chat_id(std::string_view raw) {
  std::string_view s = text::trim(raw);
  bool negative = false;
  for (std::string_view minus : {std::string_view("-"), std::string_view("\u2212")}) {
    if (s.starts_with(minus)) {
      negative = true;
      s.remove_prefix(minus.size());
      break;
    }
  }
  const auto value = text::parse_int(s);
  if (!value || *value == 0) return std::nullopt;
  return negative ? -*value : *value;
}

std::string chat_title(const CommandContext& ctx, const ChatInfo& chat) {
  if (chat.kind == ChatKind::kSavedMessages) return ctx.tr("chats.saved_messages");
  if (text::trim(chat.title).empty()) return ctx.tr("chats.untitled");
  return chat.title;
}

void add_section(telegram::TextBuilder& b, const CommandContext& ctx, std::string_view title_key,
                 const std::vector<const ChatInfo*>& chats) {
  if (chats.empty()) return;
  b.line();
  b.add(ctx.tr(title_key, {{"count", std::to_string(chats.size())}}), telegram::EntityType::kBold)
      .line();
  for (const ChatInfo* chat : chats) {
    b.add("• ").add(ctx.services.i18n.isolate_for(ctx.lang, chat_title(ctx, *chat)));
    b.add(" — ").add(chat->id.str(), telegram::EntityType::kCode);
    if (chat->is_forum) b.add(" " + ctx.tr("chats.forum"));
    b.line();
  }
}

void answer_chats(CommandContext& ctx, const std::vector<ChatInfo>& chats, Filter filter,
                  std::int64_t age_ms, bool stale) {
  std::vector<const ChatInfo*> groups, people, channels;
  for (const ChatInfo& chat : chats) {
    if (is_group(chat.kind)) {
      groups.push_back(&chat);
    } else if (is_private(chat.kind)) {
      people.push_back(&chat);
    } else {
      channels.push_back(&chat);
    }
  }
  if (filter == Filter::kPrivate) groups.clear();
  if (filter == Filter::kGroups) people.clear();
  if (filter != Filter::kAll) channels.clear();

  telegram::TextBuilder b;
  b.add(ctx.tr("chats.title"), telegram::EntityType::kBold).line();
  if (age_ms < 60'000) {
    b.line(ctx.tr("chats.updated_now"));
  } else {
    b.line(ctx.tr("chats.updated", {{"ago", std::to_string(age_ms / 1000)}}));
  }
  if (stale) b.line(ctx.tr("chats.stale"));
  if (groups.empty() && people.empty() && channels.empty()) {
    b.line().line(ctx.tr("chats.empty"));
  }
  add_section(b, ctx, "chats.groups", groups);
  add_section(b, ctx, "chats.private", people);
  add_section(b, ctx, "chats.channels", channels);
  b.line().add(ctx.tr("chats.footer", {{"topics", "/topics <id>"}, {"refresh", "/chats refresh"}}));
  ctx.reply.ok(std::move(b).build());
}

void chats(CommandContext ctx) {
  Filter filter = Filter::kAll;
  bool refresh = false;
  for (const auto& raw : arguments(ctx)) {
    const std::string a = text::ascii_lower(raw);
    if (a == "groups" || a == "group") {
      filter = Filter::kGroups;
    } else if (a == "private" || a == "pv") {
      filter = Filter::kPrivate;
    } else if (a == "all") {
      filter = Filter::kAll;
    } else if (a == "refresh") {
      refresh = true;
    } else {
      ctx.reply.usage("chats.unknown_arg", {{"arg", raw}});
      return;
    }
  }
  auto& settings = ctx.services.store.settings();
  Result<std::int64_t> updated = settings.chats_updated_ms();
  Result<std::vector<ChatInfo>> cached = settings.chats();
  if (!updated.is_ok() || !cached.is_ok()) {
    const Status st = updated.is_ok() ? cached.status() : updated.status();
    ctx.services.log.error("chats", "could not read the chat cache", {{"error", st.to_string()}});
    ctx.reply.error("error.storage");
    return;
  }
  const std::int64_t now = to_unix_ms(ctx.services.clock.wall_now());
  const std::int64_t age = now - *updated;
  const bool fresh = *updated > 0 && !cached->empty() && age >= 0 && age < kMaxCacheAgeMs;
  if (fresh && !refresh) {
    answer_chats(ctx, *cached, filter, age, false);
    return;
  }
  auto shared = std::make_shared<CommandContext>(std::move(ctx));
  shared->services.transport.list_chats(kFetchLimit, [shared, filter,
                                                      cached = std::move(cached).value(),
                                                      updated = *updated](
                                                         Result<std::vector<ChatInfo>> fetched) {
    CommandContext& c = *shared;
    const std::int64_t at = to_unix_ms(c.services.clock.wall_now());
    if (!fetched.is_ok()) {
      c.services.log.warn("chats", "could not fetch the chat list",
                          {{"error", fetched.status().to_string()}});
      if (!cached.empty()) {
        answer_chats(c, cached, filter, at - updated, true);
      } else {
        c.reply.error("chats.fetch_failed", {{"error", fetched.status().message()}});
      }
      return;
    }
    if (auto st = c.services.store.settings().replace_chats(*fetched, at); !st.is_ok()) {
      // The list is still worth showing; the next /chats fetches again.
      c.services.log.error("chats", "could not save the chat cache", {{"error", st.to_string()}});
    }
    answer_chats(c, *fetched, filter, 0, false);
  });
}

void topics(CommandContext ctx) {
  const std::vector<std::string> args = arguments(ctx);
  if (args.size() != 1) {
    ctx.reply.usage();
    return;
  }
  const auto id = parse_chat_id(args.front());
  if (!id) {
    ctx.reply.usage("topics.bad_chat", {{"value", args.front()}});
    return;
  }
  const ChatId chat(*id);
  // The cached title, when the chat is in the cache; the id otherwise.
  std::string name = chat.str();
  if (auto cached = ctx.services.store.settings().chats(); cached.is_ok()) {
    for (const ChatInfo& c : *cached) {
      if (c.id == chat && !text::trim(c.title).empty()) name = c.title;
    }
  }
  auto shared = std::make_shared<CommandContext>(std::move(ctx));
  shared->services.transport.list_forum_topics(
      chat, [shared, chat, name](Result<std::vector<ForumTopicInfo>> result) {
        CommandContext& c = *shared;
        if (!result.is_ok()) {
          switch (result.status().code()) {
            case ErrorCode::kNotFound:
              c.reply.error("topics.not_found", {{"chat", chat.str()}});
              return;
            case ErrorCode::kFailedPrecondition:
              c.reply.error("topics.not_forum", {{"chat", name}});
              return;
            default:
              c.services.log.warn("chats", "could not fetch forum topics",
                                  {{"chat", chat.str()}, {"error", result.status().to_string()}});
              c.reply.error("topics.failed", {{"error", result.status().message()}});
              return;
          }
        }
        telegram::TextBuilder b;
        b.add(c.tr("topics.title", {{"chat", name}}), telegram::EntityType::kBold).line();
        if (result->empty()) b.line(c.tr("topics.empty"));
        for (const ForumTopicInfo& t : *result) {
          b.add("• ").add(c.services.i18n.isolate_for(c.lang, t.name));
          b.add(" — ").add(std::to_string(t.id), telegram::EntityType::kCode).line();
        }
        c.reply.ok(std::move(b).build());
      });
}

}  // namespace

Status register_chats(Registry& registry) {
  SAKAI_TRY(registry.add(CommandSpec{"chats", {}, "admin", Access::kOwner, {}, chats}));
  return registry.add(CommandSpec{"topics", {}, "admin", Access::kOwner, {}, topics});
}

}  // namespace sakai::features
