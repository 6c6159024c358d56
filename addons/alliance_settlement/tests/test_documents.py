import io
from urllib.parse import urlparse

import openpyxl

from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from .common import SettlementCase, SettlementHttpCase


class DocumentsMixin:
    def _two_statements(self):
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 1000.0, "A-1")
        self._as(self.user_b_cashier).alliance_redeem(self.card_a.code, 1000, "C-1", self._proof(self.card_a))
        self.this_month.with_user(self.user_accountant).action_build()
        return self._statement(self.this_month, self.merchant_a), self._statement(self.this_month, self.merchant_b)


@tagged("post_install", "-at_install")
class TestDocuments(DocumentsMixin, SettlementCase):
    def test_pdf_through_the_report_engine_with_rmb_capitals(self):
        a, b = self._two_statements()
        (self.company_a | self.company_b).partner_id.lang = "zh_CN"
        self.env["res.lang"]._activate_lang("zh_CN")
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("alliance_settlement.action_report_statement", (a | b).ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        reader = PdfFileReader(io.BytesIO(pdf))
        text = "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")
        self.assertIn("人民币壹拾元整", text)  # A owes ¥10
        self.assertIn("人民币捌元整", text)  # ¥8 is owed to C
        self.assertIn("Test Merchant A", text.replace("TestMerchantA", "Test Merchant A"))

    def test_amount_in_words_in_english(self):
        a, _b = self._two_statements()
        self.assertEqual(a.with_context(lang="en_US").amount_net_words.lower().replace(",", ""), "ten yuan")

    def test_xlsx_totals_equal_the_statements(self):
        a, b = self._two_statements()
        book = openpyxl.load_workbook(io.BytesIO(self.env["alliance.settlement.xlsx"]._write(a | b)))
        summary = book.worksheets[0]
        rows = list(summary.iter_rows(values_only=True))
        header, body, total = rows[0], rows[1:-1], rows[-1]
        net = header.index("Net Amount")
        self.assertEqual(sorted(row[net] for row in body), [-8.0, 10.0])
        self.assertEqual(total[net], 2.0)
        self.assertEqual(total[header.index("Points Issued")], 1000)
        self.assertEqual(total[header.index("Points Accepted")], 1000)
        lines = list(book.worksheets[1].iter_rows(values_only=True))[1:]
        self.assertEqual(sum(row[-1] for row in lines), a.amount_net + b.amount_net)


@tagged("post_install", "-at_install")
class TestDocumentsDownload(DocumentsMixin, SettlementHttpCase):
    def test_a_merchant_downloads_its_own_statement_only(self):
        a, b = self._two_statements()
        self.authenticate("t_a_manager", "t_a_manager")
        mine = self.url_open(f"/alliance/settlement/statement/{a.id}/xlsx")
        self.assertEqual(mine.status_code, 200)
        book = openpyxl.load_workbook(io.BytesIO(mine.content))
        self.assertEqual(list(book.worksheets[0].iter_rows(values_only=True))[1][-1], 10.0)
        theirs = self.url_open(f"/alliance/settlement/statement/{b.id}/xlsx")
        self.assertEqual(theirs.status_code, 403)
        # The whole period, through A's eyes: A's statement alone.
        period = self.url_open(f"/alliance/settlement/period/{self.this_month.id}/xlsx")
        rows = list(openpyxl.load_workbook(io.BytesIO(period.content)).worksheets[0].iter_rows(values_only=True))
        self.assertEqual([row[1] for row in rows[1:-1]], [self.merchant_a.display_name])

    def test_portal_merchant_sees_and_downloads_its_own_statements(self):
        a, b = self._two_statements()
        (a | b).with_user(self.user_accountant).action_confirm()
        self.authenticate("t_portal_merchant", "t_portal_merchant")
        page = self.assertServedReadonly("/my/alliance/merchant")
        self.assertIn(f"/my/alliance/statement/{a.id}/pdf", page.text)
        self.assertNotIn(f"/my/alliance/statement/{b.id}/pdf", page.text)
        # Under test, Odoo's report engine answers with the report's HTML instead of wkhtmltopdf's PDF.
        # Served read-only: a replica renders it when Odoo has one.
        mine = self.assertServedReadonly(f"/my/alliance/statement/{a.id}/pdf")
        self.assertIn("Test Merchant A", mine.text)
        theirs = self.assertServedReadonly(f"/my/alliance/statement/{b.id}/pdf")
        # Sent back to its portal home, without a byte of B's statement.
        self.assertEqual(urlparse(theirs.url).path.removesuffix("/").rsplit("/", 1)[-1], "my")
        self.assertNotIn("Test Merchant B", theirs.text)
