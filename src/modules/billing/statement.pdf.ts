// The invoice statement: an A4 PDF with the partner, the invoice's number, type, dates, period and currency, the
// total, the charges per provider, the totals per customer and a table of the lines, pages numbered. Text is
// set in DejaVu Sans (shipped by the dejavu-fonts-ttf package, embedded as a subset), so Cyrillic, Greek and
// accented Latin names print as they are and can be copied or extracted from the file.
//
// A statement is bounded however large the invoice: at most STATEMENT_MAX_LINES lines and
// STATEMENT_MAX_CUSTOMERS customers are printed, followed by how many more the reconciliation file holds; so the
// whole document (a few dozen pages at most) is laid out in memory, numbered, then streamed out.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import PDFDocument from 'pdfkit';
import type {
  BillingProvider,
  ChargeType,
  InvoiceDocumentType,
  InvoiceLineItemType,
  InvoiceType,
} from '../../db/schema.ts';
import { currencySymbol, formatMinor, trimDecimal } from './billing.money.ts';
import { minorToMajor } from './reconciliation.csv.ts';

export const STATEMENT_MAX_LINES = 500;
export const STATEMENT_MAX_CUSTOMERS = 200;

export interface StatementLine {
  lineNumber: number;
  customerName: string;
  subscriptionName: string;
  offerName: string;
  meterName: string | null;
  chargeType: ChargeType;
  chargeStartDate: string;
  chargeEndDate: string;
  days: number | null;
  quantity: string;
  unitPrice: string;
  amount: number;
  /** On a credit note: the number of the invoice line it credits. */
  amendsLine: number | null;
}

export interface StatementData {
  partner: { name: string; country: string };
  invoice: {
    id: string;
    documentType: InvoiceDocumentType;
    invoiceType: InvoiceType;
    invoiceDate: Date;
    billingPeriodStartDate: string;
    billingPeriodEndDate: string;
    currency: string;
    totalCharges: number;
    lineCount: number;
    amendsOf: string | null;
    reason: string | null;
  };
  details: {
    provider: BillingProvider;
    lineItemType: InvoiceLineItemType;
    lineCount: number;
    totalCharges: number;
  }[];
  /** The credit notes issued against this invoice. */
  amendments: { id: string; invoiceDate: Date; totalCharges: number }[];
  /** By customer name; at most STATEMENT_MAX_CUSTOMERS of `customerCount`. */
  customers: { customerId: string; customerName: string; totalCharges: number }[];
  customerCount: number;
  /** In line number order; at most STATEMENT_MAX_LINES of the invoice's lineCount. */
  lines: StatementLine[];
}

const CHARGE_LABEL: Record<ChargeType, string> = {
  cycleCharge: 'Cycle charge',
  prorateCharge: 'Prorated charge',
  prorateCredit: 'Prorated credit',
  usage: 'Usage',
  oneTime: 'One-time',
  creditNote: 'Credit',
};
const PROVIDER_LABEL: Record<BillingProvider, string> = {
  office: 'Office (licences)',
  azure: 'Azure (usage)',
  oneTime: 'One-time purchases',
};
const LINE_TYPE_LABEL: Record<InvoiceLineItemType, string> = {
  billingLineItems: 'billing line items',
  usageLineItems: 'usage line items',
};

// ── fonts: read once, on first use (no I/O at import time) ──
const require = createRequire(import.meta.url);
let fonts: Record<'regular' | 'bold' | 'condensed' | 'condensedBold', Buffer> | undefined;
function loadFonts() {
  const file = (name: string) => readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${name}`));
  fonts ??= {
    regular: file('DejaVuSans.ttf'),
    bold: file('DejaVuSans-Bold.ttf'),
    condensed: file('DejaVuSansCondensed.ttf'),
    condensedBold: file('DejaVuSansCondensed-Bold.ttf'),
  };
  return fonts;
}

// ── layout ──
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 48;
const RIGHT = PAGE.width - MARGIN;
const CONTENT = RIGHT - MARGIN;
const BOTTOM = PAGE.height - MARGIN - 18; // room for the footer
const ACCENT = '#1f4e79';
const ACCENT_LIGHT = '#e8eef5';
const INK = '#1a1a1a';
const MUTED = '#6b7280';
const RULE = '#d1d5db';
const STRIPE = '#f6f7f9';

type Doc = PDFKit.PDFDocument;
type Font = 'regular' | 'bold' | 'condensed' | 'condensedBold';
type Align = 'left' | 'right';

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** `text` shortened with an ellipsis to fit `width` in the current font. */
function fit(doc: Doc, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.widthOfString(`${text.slice(0, mid)}…`) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo).trimEnd()}…`;
}

/**
 * One line of text in a box of `width` at (x, y), never wrapped and never breaking the page (the layout places
 * everything itself).
 */
function put(
  doc: Doc,
  text: string,
  x: number,
  y: number,
  opts: { width?: number; align?: Align; font?: Font; size?: number; color?: string } = {},
) {
  doc
    .font(opts.font ?? 'regular')
    .fontSize(opts.size ?? 9)
    .fillColor(opts.color ?? INK);
  const shown = opts.width === undefined ? text : fit(doc, text, opts.width);
  const left =
    opts.align === 'right' && opts.width !== undefined ? x + opts.width - doc.widthOfString(shown) : x;
  doc.text(shown, left, y, { lineBreak: false });
}

interface Column {
  title: string;
  width: number;
  align?: Align;
}

class Layout {
  y = MARGIN;
  constructor(
    private readonly doc: Doc,
    private readonly onNewPage: () => void,
  ) {}

  /** Makes room for `height` points, starting a new page when the current one is full. */
  need(height: number): boolean {
    if (this.y + height <= BOTTOM) return false;
    this.doc.addPage();
    this.y = MARGIN;
    this.onNewPage();
    return true;
  }

  heading(title: string) {
    this.need(40);
    this.y += 14;
    put(this.doc, title, MARGIN, this.y, { font: 'bold', size: 11, color: ACCENT });
    this.y += 18;
  }

  note(text: string) {
    this.need(16);
    put(this.doc, text, MARGIN, this.y + 3, { size: 8, color: MUTED, width: CONTENT });
    this.y += 16;
  }

  /** A table header row. */
  header(columns: Column[]) {
    const doc = this.doc;
    doc.rect(MARGIN, this.y, CONTENT, 16).fill(ACCENT);
    let x = MARGIN;
    for (const c of columns) {
      put(doc, c.title, x + 4, this.y + 4.5, {
        width: c.width - 8,
        align: c.align,
        font: 'condensedBold',
        size: 7.5,
        color: '#ffffff',
      });
      x += c.width;
    }
    this.y += 16;
  }

  /**
   * A table row of one or two lines per cell (the second in grey); the header is repeated at the top of a new
   * page.
   */
  row(columns: Column[], cells: [string, string?][], index: number, opts: { bold?: boolean } = {}) {
    const doc = this.doc;
    const twoLines = cells.some(([, second]) => second);
    const height = twoLines ? 22 : 14;
    if (this.need(height)) this.header(columns);
    if (index % 2 === 1) doc.rect(MARGIN, this.y, CONTENT, height).fill(STRIPE);
    let x = MARGIN;
    columns.forEach((c, i) => {
      const [first, second] = cells[i] ?? [''];
      const font: Font = opts.bold ? 'condensedBold' : 'condensed';
      put(doc, first, x + 4, this.y + 3.5, { width: c.width - 8, align: c.align, font, size: 7.5 });
      if (second)
        put(doc, second, x + 4, this.y + 12, {
          width: c.width - 8,
          align: c.align,
          font: 'condensed',
          size: 6.5,
          color: MUTED,
        });
      x += c.width;
    });
    this.y += height;
    doc.moveTo(MARGIN, this.y).lineTo(RIGHT, this.y).lineWidth(0.4).strokeColor(RULE).stroke();
  }
}

/** The statement as a PDF stream. */
export function renderStatement(data: StatementData): Readable {
  const f = loadFonts();
  const { invoice, partner } = data;
  const cur = invoice.currency;
  const money = (minor: number) => `${formatMinor(minor, cur)} ${cur}`;
  const isCredit = invoice.documentType === 'creditNote';
  const title = isCredit ? 'Credit note' : 'Invoice';

  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    // Not Helvetica (the default, which would be loaded and never used).
    font: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
    info: {
      Title: `${title} ${invoice.id}`,
      Author: partner.name,
      Subject: `${title} ${invoice.id} for ${invoice.billingPeriodStartDate} to ${invoice.billingPeriodEndDate}`,
      Creator: 'Partnerdesk',
      CreationDate: invoice.invoiceDate,
    },
  });
  doc.registerFont('regular', f.regular);
  doc.registerFont('bold', f.bold);
  doc.registerFont('condensed', f.condensed);
  doc.registerFont('condensedBold', f.condensedBold);

  const runningHeader = () => {
    put(doc, `${partner.name} · ${title} ${invoice.id}`, MARGIN, MARGIN - 20, {
      size: 7.5,
      color: MUTED,
      width: CONTENT,
    });
  };
  const layout = new Layout(doc, runningHeader);

  // ── the head: who issues it, what it is ──
  // A long name is set smaller before it is shortened.
  const nameWidth = CONTENT - 170;
  let nameSize = 17;
  doc.font('bold');
  while (nameSize > 11 && doc.fontSize(nameSize).widthOfString(partner.name) > nameWidth) nameSize -= 1;
  put(doc, partner.name, MARGIN, layout.y + (17 - nameSize) / 2, {
    font: 'bold',
    size: nameSize,
    width: nameWidth,
  });
  if (partner.country)
    put(doc, partner.country, MARGIN, layout.y + 24, { size: 9.5, color: MUTED, width: nameWidth });
  put(doc, isCredit ? 'CREDIT NOTE' : 'INVOICE', MARGIN, layout.y, {
    font: 'bold',
    size: 20,
    color: ACCENT,
    width: CONTENT,
    align: 'right',
  });
  put(doc, invoice.id, MARGIN, layout.y + 26, { font: 'bold', size: 11, width: CONTENT, align: 'right' });
  layout.y += 52;
  doc.moveTo(MARGIN, layout.y).lineTo(RIGHT, layout.y).lineWidth(1.2).strokeColor(ACCENT).stroke();
  layout.y += 14;

  // ── the facts, left; the total, right ──
  const facts: [string, string][] = [
    [isCredit ? 'Credit note number' : 'Invoice number', invoice.id],
    ['Document type', isCredit ? 'Credit note' : 'Invoice'],
    ['Invoice type', invoice.invoiceType === 'oneTime' ? 'One-time' : 'Recurring'],
    [isCredit ? 'Credit note date' : 'Invoice date', isoDay(invoice.invoiceDate)],
    ['Billing period', `${invoice.billingPeriodStartDate} to ${invoice.billingPeriodEndDate}`],
    ['Currency', `${cur} (${currencySymbol(cur)})`],
    ['Lines', String(invoice.lineCount)],
  ];
  if (invoice.amendsOf) facts.push(['Credits invoice', invoice.amendsOf]);
  if (invoice.reason) facts.push(['Reason', invoice.reason]);
  const top = layout.y;
  facts.forEach(([label, value], i) => {
    put(doc, label, MARGIN, top + i * 15, { size: 8.5, color: MUTED, width: 100 });
    put(doc, value, MARGIN + 105, top + i * 15, { size: 9, width: CONTENT * 0.58 - 105 });
  });
  const boxX = MARGIN + CONTENT * 0.62;
  const boxW = CONTENT * 0.38;
  doc.rect(boxX, top - 4, boxW, 64).fill(ACCENT_LIGHT);
  put(doc, isCredit ? 'Total credited' : 'Total charges', boxX + 12, top + 6, {
    size: 9,
    color: ACCENT,
    font: 'bold',
  });
  put(doc, money(invoice.totalCharges), boxX + 12, top + 22, {
    size: 17,
    font: 'bold',
    width: boxW - 24,
    align: 'right',
  });
  put(doc, `Paid: ${money(0)}`, boxX + 12, top + 45, {
    size: 8,
    color: MUTED,
    width: boxW - 24,
    align: 'right',
  });
  layout.y = top + Math.max(facts.length * 15, 64) + 6;
  if (isCredit)
    layout.note(
      `This credit note reduces what is owed for invoice ${invoice.amendsOf ?? ''}; its amounts are negative.`,
    );

  // ── charges per provider ──
  layout.heading('Charges by provider');
  const detailColumns: Column[] = [
    { title: 'Provider', width: CONTENT * 0.5 },
    { title: 'Line item type', width: CONTENT * 0.22 },
    { title: 'Lines', width: CONTENT * 0.1, align: 'right' },
    { title: 'Amount', width: CONTENT * 0.18, align: 'right' },
  ];
  layout.header(detailColumns);
  data.details.forEach((d, i) =>
    layout.row(
      detailColumns,
      [
        [PROVIDER_LABEL[d.provider]],
        [LINE_TYPE_LABEL[d.lineItemType]],
        [String(d.lineCount)],
        [money(d.totalCharges)],
      ],
      i,
    ),
  );
  layout.row(
    detailColumns,
    [
      [isCredit ? 'Total credited' : 'Total charges'],
      [''],
      [String(invoice.lineCount)],
      [money(invoice.totalCharges)],
    ],
    data.details.length,
    { bold: true },
  );

  if (data.amendments.length > 0) {
    layout.heading('Credit notes issued for this invoice');
    const cols: Column[] = [
      { title: 'Credit note', width: CONTENT * 0.5 },
      { title: 'Date', width: CONTENT * 0.32 },
      { title: 'Amount', width: CONTENT * 0.18, align: 'right' },
    ];
    layout.header(cols);
    data.amendments.forEach((a, i) =>
      layout.row(cols, [[a.id], [isoDay(a.invoiceDate)], [money(a.totalCharges)]], i),
    );
  }

  // ── per customer ──
  layout.heading('Totals by customer');
  const customerColumns: Column[] = [
    { title: 'Customer', width: CONTENT * 0.5 },
    { title: 'Customer ID', width: CONTENT * 0.32 },
    { title: 'Amount', width: CONTENT * 0.18, align: 'right' },
  ];
  layout.header(customerColumns);
  data.customers.forEach((c, i) =>
    layout.row(customerColumns, [[c.customerName], [c.customerId], [money(c.totalCharges)]], i),
  );
  const moreCustomers = data.customerCount - data.customers.length;
  if (moreCustomers > 0)
    layout.note(`${moreCustomers} more customers: see the reconciliation file (CSV) for every customer.`);

  // ── the lines ──
  layout.heading('Line items');
  const lineColumns: Column[] = [
    { title: '#', width: 22, align: 'right' },
    { title: 'Customer', width: 100 },
    { title: 'Subscription / offer', width: 120 },
    { title: 'Charge', width: 64 },
    { title: 'Period', width: 50 },
    { title: 'Qty', width: 40, align: 'right' },
    { title: 'Unit price', width: 46, align: 'right' },
    { title: 'Amount', width: CONTENT - 442, align: 'right' },
  ];
  layout.header(lineColumns);
  data.lines.forEach((l, i) => {
    const offer = l.meterName ? `${l.offerName} · ${l.meterName}` : l.offerName;
    const charge =
      l.amendsLine !== null ? `credits line ${l.amendsLine}` : l.days !== null ? `${l.days} days` : '';
    layout.row(
      lineColumns,
      [
        [String(l.lineNumber)],
        [l.customerName],
        [l.subscriptionName, offer],
        [CHARGE_LABEL[l.chargeType], charge],
        [l.chargeStartDate, l.chargeEndDate],
        [trimDecimal(l.quantity)],
        [minorToMajor(l.unitPrice, cur)],
        [formatMinor(l.amount, cur)],
      ],
      i,
    );
  });
  const moreLines = invoice.lineCount - data.lines.length;
  if (moreLines > 0)
    layout.note(
      `${moreLines} more lines in the reconciliation file (CSV), which lists all ${invoice.lineCount} lines.`,
    );
  layout.need(30);
  layout.y += 10;
  put(
    doc,
    `Amounts in ${cur}. Each line is rounded once, half away from zero, to a whole minor unit; totals are sums of lines.`,
    MARGIN,
    layout.y,
    {
      size: 7.5,
      color: MUTED,
      width: CONTENT,
    },
  );

  // ── page numbers, now that the count is known ──
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const y = PAGE.height - MARGIN + 4;
    doc
      .moveTo(MARGIN, y - 6)
      .lineTo(RIGHT, y - 6)
      .lineWidth(0.4)
      .strokeColor(RULE)
      .stroke();
    put(doc, `${partner.name} · ${invoice.id}`, MARGIN, y, { size: 7.5, color: MUTED, width: CONTENT * 0.7 });
    put(doc, `Page ${i - range.start + 1} of ${range.count}`, MARGIN, y, {
      size: 7.5,
      color: MUTED,
      width: CONTENT,
      align: 'right',
    });
  }
  doc.end();
  return doc;
}
