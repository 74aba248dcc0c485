/**
 * Capabilities inside structs and arrays, as the checker sees them: struct fields and array elements may
 * be `endpoint<I>` or `notification`; every capability a message carries counts against the kernel's
 * three (too-many-caps, at the parameter holding the first past the limit, however deep); vecs and bulk
 * transfers cannot carry them.
 */
import { describe, expect, test } from 'vitest';
import { diagnosticsWithText } from '../helpers.js';

const TYPES = `
interface Greeter { greet(x: u32) -> u32 }
struct Team { lead: endpoint<Greeter>, id: u8, backup: endpoint<Greeter> }
struct Wiring { team: Team, done: notification }
`;

describe('capabilities in structs and arrays', () => {
    test('struct fields, nested structs, arrays as parameters, results, state and helper parameters check clean', async () => {
        expect(await diagnosticsWithText(TYPES + `
interface Hub {
    meet(team: Team, extra: [endpoint<Greeter>; 1]) -> u32
    wire(wiring: Wiring) -> (ok: bool, back: [endpoint<Greeter>; 2])
    kept() -> [notification; 3]
}
server Host implements Hub {
    var team: Team
    var all: [endpoint<Greeter>; 2]
    fn first(gs: [endpoint<Greeter>; 2]) -> endpoint<Greeter> { return gs[0] }
    on meet(t, extra) { team = t  reply t.lead.greet(1) + extra[0].greet(2) }
    on wire(w) { all[0] = w.team.lead  all[1] = first(all)  reply (true, all) }
    on kept() { var n: [notification; 3]  reply n }
}`)).toEqual([]);
    });

    test('more than three capabilities, counted through structs and arrays, at the parameter holding the fourth', async () => {
        expect(await diagnosticsWithText(TYPES + `
interface Hub {
    a(wiring: Wiring, tag: u8, more: [endpoint<Greeter>; 2])
    b(tag: u8) -> (wiring: Wiring, spare: notification)
    c(teams: [Team; 2])
    d() -> [Team; 2]
}`)).toEqual([
            "7:32 error The request of 'a' carries 5 capabilities (wiring.team.lead, wiring.team.backup, wiring.done, more[0], more[1]), but ukvm32 allows 3 per message; 'more[0]' is the first past the limit. @ more",
            "8:36 error The reply of 'b' carries 4 capabilities (wiring.team.lead, wiring.team.backup, wiring.done, spare), but ukvm32 allows 3 per message; 'spare' is the first past the limit. @ spare",
            "9:7 error The request of 'c' carries 4 capabilities (teams[0].lead, teams[0].backup, teams[1].lead, teams[1].backup), but ukvm32 allows 3 per message; 'teams[1].backup' is the first past the limit. @ teams",
            "10:5 error The reply of 'd' carries 4 capabilities (result[0].lead, result[0].backup, result[1].lead, result[1].backup), but ukvm32 allows 3 per message; 'result[1].backup' is the first past the limit. @ d"
        ]);
    });

    test('a lease counts as one of the three', async () => {
        expect(await diagnosticsWithText(TYPES + `
interface Hub { a(team: Team, page: lease bytes[64], done: notification) }`)).toEqual([
            "6:54 error The request of 'a' carries 4 capabilities (team.lead, team.backup, page, done), but ukvm32 allows 3 per message; 'done' is the first past the limit. @ done"
        ]);
    });

    test('up to three leases in a message; a fourth is one capability too many', async () => {
        expect(await diagnosticsWithText(`
interface Copier {
    three(a: lease in bytes[16], b: lease in bytes[16], c: lease out bytes[4096]) -> u32
    four(a: lease in bytes[16], b: lease in bytes[16], c: lease out bytes[16], d: lease inout bytes[16])
}
server S implements Copier {
    on three(a, b, c) { reply 0 }
    on four(a, b, c, d) { reply }
}`)).toEqual([
            "4:80 error The request of 'four' carries 4 capabilities (a, b, c, d), but ukvm32 allows 3 per message; 'd' is the first past the limit. @ d"
        ]);
    });

    test('vecs and bulk transfers cannot hold capabilities', async () => {
        expect(await diagnosticsWithText(TYPES + `
interface Hub {
    a(teams: vec[Team; 1])
    b(gs: lease [endpoint<Greeter>; 2])
    c(gs: inline [notification; 2])
}`)).toEqual([
            "7:18 error A vec holds data, not Team, which holds capabilities. @ Team",
            "8:11 error 'lease' applies only to plain data; 'gs' holds capabilities, which travel as the message's extra capabilities. @ lease",
            "9:11 error 'inline' applies only to plain data; 'gs' holds capabilities, which travel as the message's extra capabilities. @ inline"
        ]);
    });
});
