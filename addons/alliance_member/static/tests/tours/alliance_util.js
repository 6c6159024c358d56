/** Tour steps shared by the alliance addons' POS tours. */

export function scanCard(code) {
    return [
        { content: "open the alliance card dialog", trigger: ".o_alliance_card_button", run: "click" },
        { content: "scan the card", trigger: ".o_alliance_query", run: `edit ${code}` },
        { content: "look it up", trigger: ".o_alliance_lookup", run: "click" },
    ];
}

export function memberIs(name) {
    return [{ content: `member ${name} on the order`, trigger: `.o_alliance_member_name:contains(${name})` }];
}
