// A waiting patron's place in line, in words: 1 is "next", then English ordinals
// (2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 101st, 111th...).

const SUFFIX = { one: "st", two: "nd", few: "rd", other: "th" };
const rules = new Intl.PluralRules("en-US", { type: "ordinal" });

/** "2nd" for 2; "" for anything that is not a whole number of at least 1. */
export function ordinal(n) {
  if (!Number.isInteger(n) || n < 1) return "";
  return `${n}${SUFFIX[rules.select(n)] || "th"}`;
}

/** "You are next in line." / "You are 3rd in line."; "" when the place is not known. */
export function placeInLine(position) {
  if (position === 1) return "You are next in line.";
  const nth = ordinal(position);
  return nth ? `You are ${nth} in line.` : "";
}
