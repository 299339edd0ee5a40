"""Spanish everywhere the users look (issue 15, item 3).

Each role logs in in Spanish (Mexico) and opens every menu of the addon through the
web client's routes; no English term of i18n/es.po may show in what comes back: action
names and help, the views' labels, buttons, filters and help texts, field labels,
selection values.
"""

import re
from pathlib import Path

import polib
from lxml import etree, html

from odoo.tests import HttpCase, new_test_user, tagged

from .common import MODULE, create_board_fixture

PO_PATH = Path(__file__).parent.parent / "i18n" / "es.po"
# Fields of Odoo's mixins (mail.thread, mail.activity.mixin, rating, portal): their
# labels belong to those modules, not to es.po.
MIXIN_PREFIXES = ("activity_", "message_", "my_activity_", "rating_", "access_", "website_")
# Attributes of view nodes that users read.
READ_ATTRIBUTES = ("string", "help", "placeholder", "title", "confirm", "sum", "avg")


def normalize(text):
    return re.sub(r"\s+", " ", text or "").strip()


def english_terms():
    """Terms of es.po whose Spanish differs from the English (a word like "Total"
    that is the same in both languages is no proof of anything)."""
    terms = set()
    for entry in polib.pofile(str(PO_PATH)):
        if entry.obsolete or not entry.msgstr or "fuzzy" in entry.flags:
            continue
        english, spanish = normalize(entry.msgid), normalize(entry.msgstr)
        if english != spanish and re.search("[A-Za-z]{3}", english):
            terms.add(english)
    return terms


def visible_texts_of_arch(arch):
    root = etree.fromstring(arch.encode())
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        for attribute in READ_ATTRIBUTES:
            if node is root and attribute == "string":
                continue  # not shown; Odoo's default search view puts the model's name
            if node.get(attribute):
                yield normalize(node.get(attribute))
        for text in (node.text, node.tail):
            if normalize(text):
                yield normalize(text)


def visible_texts_of_html(fragment):
    if not fragment:
        return
    for text in html.fragment_fromstring(fragment, create_parent="div").itertext():
        if normalize(text):
            yield normalize(text)


def visible_texts_of_fields(fields):
    for description in fields.values():
        yield normalize(description.get("string"))
        yield normalize(description.get("help"))
        for _value, label in description.get("selection") or ():
            yield normalize(label)


@tagged("post_install", "-at_install", MODULE)
class TestSpanishMenus(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_MX")
        installed = cls.env["ir.module.module"].search([("state", "=", "installed")])
        cls.env["ir.module.module"]._load_module_terms(installed.mapped("name"), ["es_MX"])
        cls.env.registry.clear_all_caches()
        create_board_fixture(cls.env, prefix="es")
        cls.root = cls.env.ref(f"{MODULE}.crm_activity_verification_menu_root")

    def _user(self, login, group):
        return new_test_user(
            self.env,
            login=login,
            name=login,
            groups=f"base.group_user,{MODULE}.{group}",
            lang="es_MX",
            tz="America/Tijuana",
        )

    def _call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def _walk_menus(self, user):
        """What ``user`` reads on each menu of the addon, by menu name."""
        self.authenticate(user.login, user.login)
        Menu = self.env["ir.ui.menu"].with_user(user).with_context(lang="es_MX")
        visible = Menu.browse(Menu._visible_menu_ids())
        menus = visible.filtered_domain([("id", "child_of", self.root.id)])
        self.assertGreater(len(menus), 3, f"{user.login} sees the addon's menus")
        shown = {}
        for menu in menus:
            texts = [normalize(menu.name)]
            if menu.action and menu.action._name == "ir.actions.act_window":
                texts += self._render_action(menu.action.id)
            shown[menu.complete_name] = texts
        return shown

    def _render_action(self, action_id):
        context = {"lang": "es_MX"}
        action = self.make_jsonrpc_request("/web/action/load", {"action_id": action_id})
        texts = [normalize(action["name"]), *visible_texts_of_html(action.get("help"))]
        views = [list(view) for view in action["views"]]
        views.append([action.get("search_view_id") and action["search_view_id"][0], "search"])
        result = self._call(
            action["res_model"],
            "get_views",
            views=views,
            options={"action_id": action_id, "load_filters": True, "toolbar": True},
            context=context,
        )
        for view in result["views"].values():
            texts += visible_texts_of_arch(view["arch"])
            for print_action in (view.get("toolbar") or {}).get("print", ()):
                texts.append(normalize(print_action["name"]))
        for model, model_fields in result["models"].items():
            # the addon's own fields (the others are translated by their modules)
            own = (
                self.env["ir.model.fields"]
                .search([("model", "=", model), ("name", "in", list(model_fields["fields"]))])
                .filtered(
                    lambda field: (
                        MODULE in (field.modules or "").split(", ")
                        and not field.name.startswith(MIXIN_PREFIXES)
                    )
                )
            )
            texts += visible_texts_of_fields(
                {name: model_fields["fields"][name] for name in own.mapped("name")}
            )
        return texts

    def test_every_menu_in_spanish_for_every_role(self):
        english = english_terms()
        self.assertGreater(len(english), 300, "the terms come from es.po")
        for login, group in (
            ("es_collaborator", "group_collaborator"),
            ("es_assistant", "group_verifier"),
            ("es_manager", "group_manager"),
            ("es_rhp", "group_process_manager"),
        ):
            user = self._user(login, group)
            with self.subTest(role=group):
                untranslated = {
                    menu: sorted({text for text in texts if text in english})
                    for menu, texts in self._walk_menus(user).items()
                }
                untranslated = {menu: terms for menu, terms in untranslated.items() if terms}
                self.assertFalse(untranslated, f"English left for {group}")
