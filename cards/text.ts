/** Renders an Adaptive Card as plain text for the terminal chat: text blocks, facts, and numbered buttons. */
export interface TextButton {
  title: string;
  data?: unknown;
  url?: string;
}

export function cardToText(card: unknown): { text: string; buttons: TextButton[] } {
  const lines: string[] = [];
  const buttons: TextButton[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const el = node as Record<string, unknown>;
    switch (el.type) {
      case 'TextBlock':
        lines.push(String(el.text ?? ''));
        return;
      case 'RichTextBlock':
        lines.push(
          ((el.inlines as { text?: string }[] | undefined) ?? []).map((i) => (typeof i === 'string' ? i : (i.text ?? ''))).join(''),
        );
        return;
      case 'FactSet':
        for (const f of (el.facts as { title: string; value: string }[]) ?? []) lines.push(`${f.title}: ${f.value}`);
        return;
      case 'Action.Submit':
      case 'Action.Execute':
        buttons.push({ title: String(el.title ?? ''), data: el.data });
        return;
      case 'Action.ShowCard':
        buttons.push({ title: String(el.title ?? '') });
        return;
      case 'Action.OpenUrl':
        buttons.push({ title: String(el.title ?? ''), url: String(el.url ?? '') });
        return;
      default:
        visit(el.body);
        visit(el.items);
        visit(el.columns);
        visit(el.actions);
    }
  };
  visit(card);
  return { text: lines.filter((l) => l.trim() !== '').join('\n'), buttons };
}
