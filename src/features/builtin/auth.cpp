// /auth list | add | remove | pending — who besides the owner may use SakaiBot, for which
// commands, and until when; and which of their commands wait for the owner's confirmation.
//
//   /auth add @ali                       every friend command, each confirmed by the owner
//   /auth add @ali direct                every friend command, no confirmation
//   /auth add @ali prompt,tts for=7d     just /prompt and /tts, for a week
//   /auth add direct   (as a reply)      the replied-to person
//   /auth remove @ali [prompt]           one grant, or all of them
//   /auth pending                        the friends' commands waiting for a `confirm`
#include <algorithm>

#include "commands/pending_confirmations.h"
#include "commands/services.h"
#include "core/format.h"
#include "core/text.h"
#include "features/builtin/builtin.h"

namespace sakai::features {

using commands::Access;
using commands::CommandContext;
using commands::CommandForm;
using commands::CommandSpec;
using commands::Registry;

namespace {

struct AddRequest {
  std::optional<std::string> who;  // "@name" or a numeric id
  storage::GrantMode mode = storage::GrantMode::kConfirm;
  std::vector<std::string> commands;  // empty: "*"
};

// A grant's end as the reader dates things (fa: the Solar Hijri calendar), in the machine's time
// zone, which the text names.
std::string format_date(const CommandContext& ctx, std::int64_t ms) {
  return l10n::date_time(ctx.lang, ms);
}

constexpr std::size_t kPendingTextChars = 60;

bool looks_like_user(const std::string& token) {
  if (token.size() > 1 && token.front() == '@') return true;
  return text::parse_int(token).has_value();
}

// Calls `done` with the user named by `who` (@username or id), or by the replied-to message.
void resolve_target(CommandContext& ctx, const std::optional<std::string>& who,
                    std::function<void(Result<telegram::UserInfo>)> done) {
  if (!who) {
    if (ctx.replied && !ctx.replied->outgoing) {
      ctx.services.transport.get_user(ctx.replied->sender, std::move(done));
      return;
    }
    ctx.services.loop.post(
        [done] { done(make_error(ErrorCode::kInvalidArgument, "no user given")); });
    return;
  }
  if (auto id = text::parse_int(*who)) {
    ctx.services.transport.get_user(UserId(*id), std::move(done));
    return;
  }
  ctx.services.transport.resolve_username(*who, std::move(done));
}

// "Ali Rezaei @ali", or the id when the user was never seen.
std::string display_name(storage::Store& store, UserId user, const std::string& fallback) {
  if (auto u = store.users().get(user); u.is_ok() && u->has_value()) {
    return (*u)->display_name + ((*u)->username.empty() ? "" : " @" + (*u)->username);
  }
  return fallback.empty() ? user.str() : fallback;
}

void list_grants(CommandContext& ctx) {
  auto& store = ctx.services.store;
  auto grants = store.grants().list();
  if (!grants.is_ok()) {
    ctx.reply.error("error.storage");
    return;
  }
  const std::int64_t now = to_unix_ms(ctx.services.clock.wall_now());
  telegram::TextBuilder b;
  b.add(ctx.tr("auth.list_title"), telegram::EntityType::kBold).line();
  std::int64_t current_user = 0;
  bool any = false;
  for (const auto& g : *grants) {
    if (g.expires_ms && *g.expires_ms <= now) continue;
    any = true;
    if (g.user.value() != current_user) {
      current_user = g.user.value();
      const std::string name = display_name(store, g.user, "");
      b.add("• ")
          .add(ctx.services.i18n.isolate_for(ctx.lang, name), telegram::EntityType::kBold)
          .line(" (" + ctx.services.i18n.isolate_for(ctx.lang, g.user.str()) + ")");
    }
    const std::string what = g.command == "*" ? ctx.tr("auth.all_commands") : "/" + g.command;
    const std::string mode =
        ctx.tr(g.mode == storage::GrantMode::kDirect ? "auth.mode_direct" : "auth.mode_confirm");
    const std::string until =
        g.expires_ms ? ctx.tr("auth.until", {{"date", format_date(ctx, *g.expires_ms)}})
                     : ctx.tr("auth.no_expiry");
    b.line("   " + ctx.tr("auth.grant_line", {{"what", what}, {"mode", mode}, {"until", until}}));
  }
  if (!any) {
    ctx.reply.ok(
        telegram::FormattedText(ctx.tr("auth.list_empty", {{"example", "/auth add @name"}})));
    return;
  }
  ctx.reply.ok(std::move(b).build());
}

// The first kPendingTextChars characters of a request, "…" after a cut, on one line.
std::string shortened(std::string_view request) {
  std::u32string cps = text::decode(text::trim(request));
  for (auto& c : cps) {
    if (c == U'\n' || c == U'\r' || c == U'\t') c = U' ';
  }
  if (cps.size() <= kPendingTextChars) return text::encode(cps);
  return text::encode(std::u32string_view(cps).substr(0, kPendingTextChars)) + "…";
}

void list_pending(CommandContext& ctx) {
  const std::int64_t now = to_unix_ms(ctx.services.clock.wall_now());
  const std::int64_t timeout_ms = ctx.services.config.get_seconds("bot.confirm_timeout") * 1000;
  std::vector<const commands::PendingRequest*> waiting;
  if (ctx.services.pending != nullptr) {
    ctx.services.pending->forget_older_than(now - timeout_ms);
    for (const auto& r : ctx.services.pending->all())
      waiting.push_back(&r);
  }
  if (waiting.empty()) {
    ctx.reply.ok(telegram::FormattedText(ctx.tr("auth.pending_empty")));
    return;
  }
  const auto& i18n = ctx.services.i18n;
  telegram::TextBuilder b;
  b.add(ctx.tr("auth.pending_title", {{"count", std::to_string(waiting.size())}}),
        telegram::EntityType::kBold)
      .line();
  for (const auto* r : waiting) {
    const std::string who =
        display_name(ctx.services.store, r->request.sender, r->request.sender_name);
    b.add("• ")
        .add(i18n.isolate_for(ctx.lang, who), telegram::EntityType::kBold)
        .line(" (" + i18n.isolate_for(ctx.lang, r->request.sender.str()) + ")");
    const std::int64_t ago_s = std::max<std::int64_t>(now - r->asked_ms, 0) / 1000;
    const std::int64_t left_s = std::max<std::int64_t>(r->asked_ms + timeout_ms - now, 0) / 1000;
    b.line("   " + ctx.tr("auth.pending_line", {{"request", shortened(r->request.text)},
                                                {"ago", std::to_string(ago_s)},
                                                {"left", std::to_string(left_s)}}));
  }
  b.line().line(ctx.tr("auth.pending_footer"));
  ctx.reply.ok(std::move(b).build());
}

// A word that is neither a person nor a command: most likely a username without its "@".
void suggest_user(CommandContext& ctx, const std::string& word) {
  ctx.reply.usage("auth.user_without_at", {{"value", word}, {"suggestion", "@" + word}});
}

bool plausible_username(std::string_view word) {
  if (word.size() < 2 || word.size() > 32) return false;
  return std::all_of(word.begin(), word.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

void add_grant(CommandContext ctx, std::vector<std::string> args) {
  AddRequest req;
  for (const auto& raw : args) {
    const std::string a = text::ascii_lower(raw);
    if (a == "direct") {
      req.mode = storage::GrantMode::kDirect;
    } else if (a == "confirm") {
      req.mode = storage::GrantMode::kConfirm;
    } else if (!req.who && req.commands.empty() && looks_like_user(raw)) {
      req.who = raw;
    } else {
      for (auto c : text::split(a, ',')) {
        c = std::string(text::trim(c));
        if (!c.empty() && c.front() == '/') c.erase(0, 1);
        if (c.empty()) continue;
        if (c == "*" || c == "all") {
          req.commands.clear();
          req.commands.push_back("*");
          continue;
        }
        const CommandSpec* spec = ctx.services.registry.find(c);
        if (spec == nullptr) {
          // "/auth add mallory": a person named without the "@".
          if (!req.who && req.commands.empty() && raw.front() != '/' && plausible_username(raw)) {
            suggest_user(ctx, raw);
            return;
          }
          if (auto s = ctx.services.registry.suggest(c)) {
            ctx.reply.usage("auth.unknown_command_suggest",
                            {{"command", "/" + c}, {"suggestion", "/" + *s}});
          } else {
            ctx.reply.usage("auth.unknown_command", {{"command", "/" + c}});
          }
          return;
        }
        if (spec->access == Access::kOwner) {
          ctx.reply.error("auth.owner_only_command", {{"command", "/" + spec->name}});
          return;
        }
        req.commands.push_back(spec->name);
      }
    }
  }
  std::optional<std::int64_t> expires;
  if (auto it = ctx.line.params.find("for"); it != ctx.line.params.end()) {
    auto secs = parse_duration_seconds(it->second);
    if (!secs || *secs <= 0) {
      // "0s" is a duration, just one that ends at once.
      ctx.reply.usage(secs ? "auth.too_short" : "auth.bad_duration", {{"value", it->second}});
      return;
    }
    expires = to_unix_ms(ctx.services.clock.wall_now()) + *secs * 1000;
  }
  if (!req.who && !(ctx.replied && !ctx.replied->outgoing)) {
    ctx.reply.usage("auth.no_user");
    return;
  }
  if (req.commands.empty()) req.commands.push_back("*");
  auto shared = std::make_shared<CommandContext>(std::move(ctx));
  resolve_target(*shared, req.who, [shared, req, expires](Result<telegram::UserInfo> user) {
    CommandContext& c = *shared;
    if (!user.is_ok()) {
      c.reply.error("auth.user_not_found", {{"user", req.who.value_or("?")}});
      return;
    }
    if (user->id == c.services.transport.self_id()) {
      c.reply.error("auth.self");
      return;
    }
    auto& store = c.services.store;
    const std::int64_t now = to_unix_ms(c.services.clock.wall_now());
    (void)store.users().upsert(
        storage::UserRecord{user->id, user->display_name, user->username, now, now});
    for (const auto& cmd : req.commands) {
      if (auto st = store.grants().put(storage::Grant{user->id, cmd, req.mode, expires, now});
          !st.is_ok()) {
        c.services.log.error("auth", "could not save a grant", {{"error", st.to_string()}});
        c.reply.error("error.storage");
        return;
      }
    }
    std::string what;
    for (const auto& cmd : req.commands) {
      what += (what.empty() ? "" : ", ") + (cmd == "*" ? c.tr("auth.all_commands") : "/" + cmd);
    }
    const std::string mode =
        c.tr(req.mode == storage::GrantMode::kDirect ? "auth.mode_direct" : "auth.mode_confirm");
    const std::string until =
        expires ? c.tr("auth.until", {{"date", format_date(c, *expires)}}) : c.tr("auth.no_expiry");
    c.reply.ok(telegram::FormattedText(
        "✅ " +
        c.tr("auth.added",
             {{"user", user->display_name}, {"what", what}, {"mode", mode}, {"until", until}})));
  });
}

void remove_grant(CommandContext ctx, std::vector<std::string> args) {
  std::optional<std::string> who;
  std::string command;
  for (const auto& a : args) {
    if (!who && looks_like_user(a)) {
      who = a;
    } else {
      command = text::ascii_lower(a);
      if (!command.empty() && command.front() == '/') command.erase(0, 1);
      if (command == "all") command = "*";
      const CommandSpec* spec = ctx.services.registry.find(command);
      if (spec != nullptr) {
        command = spec->name;
      } else if (!who && command != "*" && a.front() != '/' && plausible_username(a)) {
        // "/auth remove mallory": a person named without the "@".
        suggest_user(ctx, a);
        return;
      }
    }
  }
  if (!who && !(ctx.replied && !ctx.replied->outgoing)) {
    ctx.reply.usage("auth.no_user");
    return;
  }
  auto shared = std::make_shared<CommandContext>(std::move(ctx));
  resolve_target(*shared, who, [shared, who, command](Result<telegram::UserInfo> user) {
    CommandContext& c = *shared;
    if (!user.is_ok()) {
      c.reply.error("auth.user_not_found", {{"user", who.value_or("?")}});
      return;
    }
    auto removed = c.services.store.grants().remove(user->id, command);
    if (!removed.is_ok()) {
      c.reply.error("error.storage");
      return;
    }
    if (*removed == 0) {
      c.reply.error("auth.nothing_to_remove", {{"user", user->display_name}});
      return;
    }
    c.reply.ok(telegram::FormattedText(
        "✅ " +
        c.tr("auth.removed", {{"user", user->display_name}, {"count", std::to_string(*removed)}})));
  });
}

// A user without a username is picked in Telegram's composer as a mention by name: the text holds
// the display name ("Ali Rezaei") and a mention_name entity its id. The name's words among the
// arguments become that id, so "/auth add Ali Rezaei direct" names the right user.
void replace_mentions_by_name(const Message& message, std::vector<std::string>& args) {
  for (const auto& e : message.entities) {
    if (e.type != EntityType::kMentionName || e.argument.empty()) continue;
    const auto words = text::split_whitespace(entity_text(message.text, e));
    if (words.empty() || words.size() > args.size()) continue;
    for (std::size_t i = 0; i + words.size() <= args.size(); ++i) {
      if (!std::equal(words.begin(), words.end(), args.begin() + static_cast<std::ptrdiff_t>(i)))
        continue;
      args.erase(args.begin() + static_cast<std::ptrdiff_t>(i),
                 args.begin() + static_cast<std::ptrdiff_t>(i + words.size()));
      args.insert(args.begin() + static_cast<std::ptrdiff_t>(i), e.argument);
      break;
    }
  }
}

void auth(CommandContext ctx) {
  std::vector<std::string> args = ctx.line.args;
  // "/auth=add=@ali" and "/auth add @ali" both work.
  if (ctx.line.form == CommandForm::kEquals && !ctx.line.text.empty()) {
    for (auto& w : text::split_whitespace(ctx.line.text))
      args.push_back(std::move(w));
  }
  replace_mentions_by_name(ctx.message, args);
  if (args.empty()) {
    ctx.reply.usage();
    return;
  }
  const std::string sub = text::ascii_lower(args.front());
  args.erase(args.begin());
  if (sub == "list" || sub == "ls") {
    list_grants(ctx);
  } else if (sub == "add" || sub == "grant") {
    add_grant(std::move(ctx), std::move(args));
  } else if (sub == "remove" || sub == "rm" || sub == "revoke") {
    remove_grant(std::move(ctx), std::move(args));
  } else if (sub == "pending" || sub == "waiting") {
    list_pending(ctx);
  } else {
    ctx.reply.usage("auth.unknown_subcommand", {{"sub", sub}});
  }
}

}  // namespace

Status register_auth(Registry& registry) {
  return registry.add(CommandSpec{"auth", {"authorize"}, "admin", Access::kOwner, {"for"}, auth});
}

}  // namespace sakai::features
