// `{{ field }}` templates over an event's fields (TEMPLATE_FIELDS). No escapes, no
// filters, no expressions: a placeholder names one field, and rendering inserts
// its value verbatim.
import { TEMPLATE_FIELDS } from './workflow-definition';

export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

/** A template that cannot be read (unclosed or empty placeholder) or that names a value there is none of. */
export class TemplateError extends Error {
  constructor(
    message: string,
    /** Offset in the template of the placeholder at fault. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

interface Piece {
  readonly text: string;
  /** Set for a placeholder: the trimmed field name. */
  readonly field?: string;
  readonly offset: number;
}

function pieces(text: string): Piece[] {
  const result: Piece[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('{{', at);
    if (open < 0) {
      result.push({ text: text.slice(at), offset: at });
      break;
    }
    if (open > at) result.push({ text: text.slice(at, open), offset: at });
    const close = text.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateError(`unclosed "{{" at offset ${open}`, open);
    const inner = text.slice(open + 2, close);
    if (inner.includes('{{')) throw new TemplateError(`unclosed "{{" at offset ${open}`, open);
    const field = inner.trim();
    if (field === '') throw new TemplateError(`empty placeholder at offset ${open}`, open);
    result.push({ text: text.slice(open, close + 2), field, offset: open });
    at = close + 2;
  }
  return result;
}

/** The fields a template names, each once, in order of first use; throws TemplateError on bad syntax. */
export function templateFields(text: string): string[] {
  const fields: string[] = [];
  for (const piece of pieces(text)) {
    if (piece.field !== undefined && !fields.includes(piece.field)) fields.push(piece.field);
  }
  return fields;
}

/** The template without its placeholders (what is fixed whatever the event). */
export function templateLiteral(text: string): string {
  return pieces(text)
    .filter((piece) => piece.field === undefined)
    .map((piece) => piece.text)
    .join('');
}

/** The first placeholder's field when the template starts with one. */
export function leadingField(text: string): string | undefined {
  const [first] = pieces(text);
  return first?.offset === 0 ? first.field : undefined;
}

export function isTemplateField(field: string): field is TemplateField {
  return (TEMPLATE_FIELDS as readonly string[]).includes(field);
}

/**
 * Fills in every placeholder with its value, verbatim. A field without a value is an
 * error (never an empty string), as is bad syntax.
 */
export function renderTemplate(text: string, values: Record<string, string>): string {
  return pieces(text)
    .map((piece) => {
      if (piece.field === undefined) return piece.text;
      if (
        !Object.prototype.hasOwnProperty.call(values, piece.field) ||
        typeof values[piece.field] !== 'string'
      ) {
        throw new TemplateError(`no value for template field "${piece.field}"`, piece.offset);
      }
      return values[piece.field];
    })
    .join('');
}
