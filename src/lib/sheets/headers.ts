/** How a spreadsheet header cell is compared: without spaces, underscores, case or a bracketed unit such as "(元/斤)". */
export function headerKey(text: string): string {
  return text
    .replace(/[（(][^）)]*[）)]/g, '')
    .replace(/[\s_]/g, '')
    .toLowerCase();
}

/** Which column holds what, given the names each column goes by; unknown headers are ignored. */
export function mapHeader<C extends string>(header: string[], names: Record<C, string[]>): Partial<Record<C, number>> {
  const columns = Object.keys(names) as C[];
  const map: Partial<Record<C, number>> = {};
  header.forEach((name, index) => {
    const key = headerKey(name);
    const column = columns.find((c) => names[c].includes(key));
    if (column && map[column] === undefined) map[column] = index;
  });
  return map;
}
