"""The Bot API methods the fake implements, by canonical name. A method that is in the spec
but not here is answered 500 and recorded as a finding naming it."""

from sandbox.telegram.methods.commands import (
    delete_my_commands,
    get_chat_menu_button,
    get_my_commands,
    set_chat_menu_button,
    set_my_commands,
)
from sandbox.telegram.methods.common import Answer, Handler
from sandbox.telegram.methods.editing import (
    ATTACHMENTS,
    delete_message,
    delete_messages,
    edit_message_caption,
    edit_message_media,
    edit_message_reply_markup,
    edit_message_text,
)
from sandbox.telegram.methods.lifecycle import (
    close,
    delete_webhook,
    get_me,
    get_updates,
    get_webhook_info,
    log_out,
    set_webhook,
)
from sandbox.telegram.methods.members import get_chat_administrators, get_chat_member
from sandbox.telegram.methods.queries import answer_callback_query, answer_inline_query, get_file
from sandbox.telegram.methods.sending import (
    copy_message,
    forward_message,
    get_chat,
    send_chat_action,
    send_media_group,
    send_message,
    send_photo,
)

HANDLERS: dict[str, Handler] = {
    "getMe": get_me,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "logOut": log_out,
    "close": close,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setChatMenuButton": set_chat_menu_button,
    "getChatMenuButton": get_chat_menu_button,
    "sendMessage": send_message,
    "sendPhoto": send_photo,
    "sendMediaGroup": send_media_group,
    "copyMessage": copy_message,
    "forwardMessage": forward_message,
    "sendChatAction": send_chat_action,
    "getChat": get_chat,
    "getChatMember": get_chat_member,
    "getChatAdministrators": get_chat_administrators,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "editMessageMedia": edit_message_media,
    "deleteMessage": delete_message,
    "deleteMessages": delete_messages,
    "answerCallbackQuery": answer_callback_query,
    "answerInlineQuery": answer_inline_query,
    "getFile": get_file,
}

__all__ = ["ATTACHMENTS", "HANDLERS", "Answer", "Handler"]
