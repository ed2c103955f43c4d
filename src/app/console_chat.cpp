#include "app/console_chat.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/console_render.h"
#include "core/config.h"
#include "core/text.h"

namespace sakai::app {

std::string console_input_help() {
  return "  text               you, the owner, write in the current chat (Saved Messages at "
         "start)\n"
         "  @name: text        name writes to you; their private chat becomes the current chat\n"
         "                     (inside a group, name speaks in the group)\n"
         "  >12 text           reply to message #12 (also after '@name: ')\n"
         "  !voice PATH        a voice note with the file at PATH (also after '@name: ' and "
         "'>12')\n"
         "  !audio PATH        an audio file\n"
         "  !videonote PATH    a video note\n"
         "  :chat me|name      switch to Saved Messages or to the private chat with name\n"
         "  :group title       switch to (and create) a group\n"
         "  :help              this list\n"
         "  :quit              leave (also :exit, :q; the end of the input does too)\n";
}

namespace {

nlohmann::json entities_json(const telegram::FormattedText& t) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& e : t.entities) {
    nlohmann::json j{
        {"type", telegram::entity_type_name(e.type)}, {"offset", e.offset}, {"length", e.length}};
    if (!e.argument.empty()) j["argument"] = e.argument;
    arr.push_back(std::move(j));
  }
  return arr;
}

nlohmann::json ids_json(const std::vector<MessageId>& ids) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& id : ids)
    arr.push_back(id.value());
  return arr;
}

// Input may hold bytes that are not UTF-8 (the engine must reject them politely); JSON output
// must stay valid, so such bytes are replaced when echoed.
std::string printable(const std::string& s) {
  return text::is_valid_utf8(s) ? s : text::encode(text::decode(s));
}

// Where the console keeps the first message id its next session may use (the account's
// settings), and how many ids it reserves at once.
constexpr std::string_view kNextIdKey = "console.next_message_id";
constexpr std::int64_t kIdBlock = 1000;

}  // namespace

ConsoleChat::~ConsoleChat() {
  core_.shutdown();
}

ConsoleChat::ConsoleChat(BotCore& core, ConsoleOptions options, std::istream& in, std::ostream& out,
                         std::ostream& err)
    : core_(core),
      options_(options),
      in_(in),
      out_(out),
      err_(err),
      transport_(core.loop(), "You"),
      current_chat_(transport_.saved_messages()) {
  transport_.on_action([this](const telegram::TransportAction& a) {
    reserve_ids();
    print_action(a);
  });
  transport_.set_auto_create_users(true);
  transport_.set_keeps_sent_files(true);  // a voice note's file is there to be played
  continue_numbering();                   // before the engine resumes stored work
  core_.attach(transport_, "console");
}

void ConsoleChat::continue_numbering() {
  auto stored = core_.store().settings().get(kNextIdKey);
  if (!stored.is_ok()) {
    err_ << "console: could not read where message numbering stopped: " << stored.status().message()
         << "\n";
  } else if (stored->has_value()) {
    if (const auto next = text::parse_int(**stored); next && *next > 0)
      transport_.set_next_message_id(*next);
  }
  reserve_ids();
}

void ConsoleChat::reserve_ids() {
  // A new block once half of the current one is used; no action hands out that many ids.
  const std::int64_t next = transport_.next_message_id();
  if (next + kIdBlock / 2 <= reserved_ids_) return;
  const std::int64_t mark = next + kIdBlock;
  if (auto st = core_.store().settings().set(kNextIdKey, std::to_string(mark)); !st.is_ok()) {
    err_ << "console: could not store where message numbering stops: " << st.message() << "\n";
    return;
  }
  reserved_ids_ = mark;
}

std::string ConsoleChat::chat_label(ChatId chat) const {
  if (chat == transport_.saved_messages()) return "Saved Messages";
  return "chat " + chat.str();
}

void ConsoleChat::print_action(const telegram::TransportAction& a) {
  if (options_.jsonl) {
    nlohmann::json j{{"action", a.kind}, {"chat", a.chat.value()}};
    if (a.message.valid()) j["message_id"] = a.message.value();
    if (a.reply_to) j["reply_to"] = a.reply_to->value();
    if (a.kind == "send" || a.kind == "edit") {
      j["text"] = a.text.text;
      j["entities"] = entities_json(a.text);
    }
    if (a.kind == "voice" || a.kind == "photo" || a.kind == "document") {
      j["path"] = a.path;
      j["caption"] = a.text.text;
      if (a.kind == "voice") j["duration"] = a.duration_seconds;
      if (a.album != 0) j["album"] = a.album;
    }
    if (a.kind == "delete" || a.kind == "forward") j["message_ids"] = ids_json(a.messages);
    if (a.kind == "forward") j["to_chat"] = a.to_chat.value();
    if (a.topic_id != 0) j["topic_id"] = a.topic_id;
    if (a.kind == "chat_action") j["chat_action"] = a.detail;
    out_ << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n' << std::flush;
    return;
  }
  const std::string where = "[" + chat_label(a.chat) + "] ";
  const std::string body = options_.ansi ? render_ansi(a.text) : a.text.text;
  if (a.kind == "send") {
    out_ << where << "#" << a.message.value() << " SakaiBot";
    if (a.reply_to) out_ << " ↩#" << a.reply_to->value();
    out_ << ":\n" << body << "\n";
  } else if (a.kind == "edit") {
    out_ << where << "#" << a.message.value() << " (edited):\n" << body << "\n";
  } else if (a.kind == "delete") {
    out_ << where << "deleted";
    for (const auto& id : a.messages)
      out_ << " #" << id.value();
    out_ << "\n";
  } else if (a.kind == "forward") {
    out_ << where << "forwarded";
    for (const auto& id : a.messages)
      out_ << " #" << id.value();
    out_ << " to " << chat_label(a.to_chat)
         << (a.topic_id ? " topic " + std::to_string(a.topic_id) : "") << "\n";
  } else if (a.kind == "voice" || a.kind == "photo" || a.kind == "document") {
    out_ << where << "#" << a.message.value() << " " << a.kind << ": " << a.path;
    if (a.kind == "voice") out_ << " (" << a.duration_seconds << " s)";
    if (a.album != 0) out_ << " (album " << a.album << ")";
    if (!a.text.text.empty()) out_ << "\n" << body;
    out_ << "\n";
  } else if (a.kind == "chat_action") {
    out_ << where << "… " << a.detail << "\n";
  }
  out_ << std::flush;
}

void ConsoleChat::print_receive(ChatId chat, MessageId id, const std::string& from,
                                const std::string& text, std::optional<MessageId> reply_to) {
  if (options_.jsonl) {
    nlohmann::json j{{"action", "receive"},
                     {"chat", chat.value()},
                     {"message_id", id.value()},
                     {"from", from},
                     {"text", printable(text)}};
    if (reply_to) j["reply_to"] = reply_to->value();
    out_ << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n' << std::flush;
  } else if (!options_.interactive) {
    out_ << "[" << chat_label(chat) << "] #" << id.value() << " " << from;
    if (reply_to) out_ << " ↩#" << reply_to->value();
    out_ << ": " << printable(text) << "\n" << std::flush;
  } else {
    out_ << "  (#" << id.value() << " in " << chat_label(chat) << ")\n" << std::flush;
  }
}

void ConsoleChat::print_help() {
  err_ << "Console chat: you are the owner.\n" << console_input_help();
}

bool ConsoleChat::handle_line(const std::string& raw_line) {
  std::string line = raw_line;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (text::trim(line).empty()) return true;
  if (line.front() == ':') {
    const auto words = text::split_whitespace(line.substr(1));
    const std::string cmd = words.empty() ? "" : text::ascii_lower(words[0]);
    const std::string arg = words.size() > 1 ? line.substr(line.find(words[1])) : "";
    if (cmd == "quit" || cmd == "exit" || cmd == "q") return false;
    if (cmd == "help") {
      print_help();
    } else if (cmd == "chat" && !arg.empty()) {
      if (text::ascii_lower(arg) == "me") {
        current_chat_ = transport_.saved_messages();
      } else {
        current_chat_ = ChatId(transport_.add_user(arg).value());
      }
      in_group_ = false;
    } else if (cmd == "group" && !arg.empty()) {
      current_chat_ = transport_.add_group(arg);
      in_group_ = true;
    } else if (cmd == "advance" && options_.clock != nullptr) {
      const auto seconds = parse_duration_seconds(arg);
      if (!seconds || *seconds <= 0) {
        err_ << "console: write ':advance DURATION' (e.g. 90s, 5m, 2h)\n";
      } else {
        options_.clock->advance(std::chrono::seconds(*seconds));
      }
    } else {
      err_ << "console: unknown directive '" << line << "' (:help lists them)\n";
    }
    return true;
  }
  // Who speaks?
  UserId sender = transport_.self_id();
  std::string from = "you";
  std::string body = line;
  if (line.front() == '@') {
    const auto colon = line.find(':');
    const std::string name(text::trim(line.substr(1, colon == std::string::npos ? 0 : colon - 1)));
    if (colon == std::string::npos || name.empty() || name.find(' ') != std::string::npos) {
      err_ << "console: write '@name: text' to speak as someone else\n";
      return true;
    }
    sender = transport_.add_user(name);
    from = name;
    body = std::string(text::trim(line.substr(colon + 1)));
    if (!in_group_) current_chat_ = ChatId(sender.value());
  }
  std::optional<MessageId> reply_to;
  if (!body.empty() && body.front() == '>') {
    std::size_t i = 1;
    while (i < body.size() && body[i] != ' ')
      ++i;
    const auto id = text::parse_int(body.substr(1, i - 1));
    if (!id) {
      err_ << "console: write '>ID text' to reply to message #ID\n";
      return true;
    }
    reply_to = MessageId(*id);
    if (!transport_.message(current_chat_, *reply_to)) {
      err_ << "console: there is no message #" << *id << " in " << chat_label(current_chat_)
           << "\n";
      return true;
    }
    body = std::string(text::trim(body.substr(i)));
  }
  // "!voice PATH" / "!audio PATH" / "!videonote PATH": a media message with that file.
  if (body.rfind("!voice ", 0) == 0 || body.rfind("!audio ", 0) == 0 ||
      body.rfind("!videonote ", 0) == 0) {
    const auto space = body.find(' ');
    const std::string kind = body.substr(1, space - 1);
    const std::string path(text::trim(body.substr(space + 1)));
    std::error_code ec;
    if (path.empty() || !std::filesystem::is_regular_file(path, ec)) {
      err_ << "console: no such file '" << path << "' (write '!" << kind << " PATH')\n";
      return true;
    }
    const MediaKind media = kind == "voice"   ? MediaKind::kVoiceNote
                            : kind == "audio" ? MediaKind::kAudio
                                              : MediaKind::kVideoNote;
    const MessageId id = transport_.receive_media(current_chat_, sender, media, path, "", reply_to);
    reserve_ids();
    print_receive(current_chat_, id, from, "[" + kind + " " + path + "]", reply_to);
    return true;
  }
  const MessageId id = transport_.receive(current_chat_, sender, body, reply_to);
  reserve_ids();
  print_receive(current_chat_, id, from, body, reply_to);
  return true;
}

int ConsoleChat::run() {
  if (options_.interactive) {
    print_help();
    // A reader thread keeps the loop free to stream answers while you type.
    core_.loop().begin_work();
    std::thread reader([this] {
      std::string line;
      while (!quit_ && std::getline(in_, line)) {
        core_.loop().post([this, line] {
          if (!handle_line(line)) {
            quit_ = true;
            core_.loop().stop();
          }
        });
      }
      core_.loop().end_work();
    });
    core_.loop().run_until_idle();
    quit_ = true;
    reader.detach();  // blocked in getline on a terminal; the process is exiting
    return 0;
  }
  std::string line;
  while (std::getline(in_, line)) {
    if (!handle_line(line)) break;
    core_.loop().run_until_idle();
  }
  core_.loop().run_until_idle();
  return 0;
}

}  // namespace sakai::app
