import { defineMessages } from '@skillpass/web';

/**
 * Every verification check and every error code in plain words, Dutch first: what a check
 * establishes when it passes (`check_<name>`), and what went wrong for a code. The employer's
 * result page shows these beside the codes (codes stay visible: people quote them).
 */
export const CHECK_WORDS = defineMessages({
  nl: {
    check_format: 'Het is een bewijs in een vorm die we kennen.',
    check_signature: 'De handtekening klopt: niemand heeft het bewijs veranderd sinds het is uitgegeven.',
    check_schema: 'De inhoud heeft de vorm die de standaard voorschrijft.',
    check_validity: 'Het bewijs is nu geldig (niet te vroeg, niet verlopen).',
    check_status: 'De uitgever heeft het niet ingetrokken of geschorst.',
    check_trust: 'De uitgever staat in het register van erkende centra, voor deze vaardigheid.',
    check_binding: 'Het bewijs is van de persoon die het laat zien.',
    check_presentation: 'Het antwoord is voor u bedoeld, net nu gemaakt, en niet eerder gebruikt.',
    check_disclosure: 'De gegevens die de werknemer liet zien, horen echt bij dit bewijs.',
    checkSkipped: 'niet gecontroleerd',
    ERR_MALFORMED: 'Het bewijs is onleesbaar of onvolledig.',
    ERR_INPUT_TOO_LARGE: 'Het bewijs is groter dan we aannemen.',
    ERR_ALG_NOT_ALLOWED: 'Het bewijs is ondertekend met een methode die we niet vertrouwen.',
    ERR_SIGNATURE_INVALID: 'De handtekening klopt niet: het bewijs is veranderd of vervalst.',
    ERR_DID_UNRESOLVABLE: 'We konden de sleutels van de uitgever niet opvragen.',
    ERR_KEY_NOT_FOUND: 'De sleutel van de handtekening hoort niet bij de uitgever.',
    ERR_SCHEMA_INVALID: 'De inhoud heeft niet de voorgeschreven vorm.',
    ERR_NOT_YET_VALID: 'Het bewijs is nog niet geldig.',
    ERR_EXPIRED: 'Het bewijs is verlopen.',
    ERR_REVOKED: 'De uitgever heeft dit bewijs ingetrokken.',
    ERR_SUSPENDED: 'De uitgever heeft dit bewijs geschorst.',
    ERR_STATUS_UNAVAILABLE: 'We konden niet nagaan of het bewijs is ingetrokken.',
    ERR_ISSUER_UNTRUSTED: 'De uitgever staat niet in het register van erkende centra.',
    ERR_NOT_ACCREDITED_FOR_SKILL: 'De uitgever is niet erkend voor deze vaardigheid of dit niveau.',
    ERR_HOLDER_MISMATCH: 'Het bewijs is van iemand anders dan wie het laat zien.',
    ERR_AUDIENCE_MISMATCH: 'Het antwoord was voor een andere ontvanger bedoeld.',
    ERR_CHALLENGE_MISMATCH: 'Het antwoord hoort niet bij deze vraag (hergebruikt?).',
    ERR_PRESENTATION_EXPIRED: 'Het antwoord is te oud.',
    ERR_DUPLICATE_CREDENTIAL: 'Hetzelfde bewijs zat er twee keer in.',
    ERR_DISCLOSURE_INVALID: 'Getoonde gegevens horen niet bij het bewijs.',
    ERR_KEY_BINDING_INVALID: 'De werknemer kon niet aantonen dat het bewijs van hem of haar is.',
    ERR_QUERY_NOT_SATISFIED: 'Het antwoord bevat niet wat u vroeg.',
    ERR_REQUEST_UNKNOWN: 'Dit antwoord hoort bij geen enkele vraag van u.',
    ERR_REQUEST_EXPIRED: 'De vraag was al verlopen.',
    ERR_REQUEST_ANSWERED: 'De vraag was al beantwoord.',
    ERR_REQUEST_INVALID: 'De vraag was ongeldig.',
    ERR_RESPONSE_REFUSED: 'De werknemer heeft geweigerd te antwoorden.',
    ERR_CONTEXT_UNKNOWN: 'Het bewijs gebruikt een woordenlijst die we niet kennen.',
    ERR_JSONLD_INVALID: 'Het bewijs is geen geldig gekoppeld-gegevensdocument.',
    ERR_PROOF_TYPE_UNKNOWN: 'Het bewijs gebruikt een soort handtekening die we niet kennen.',
    ERR_PROOF_PURPOSE_INVALID: 'De handtekening is niet voor dit doel gezet.',
    ERR_UNSUPPORTED: 'Dit kunnen we (nog) niet controleren.',
    unknownCode: 'Een probleem met code {code}.',
  },
  en: {
    check_format: 'It is a credential in a form we know.',
    check_signature: 'The signature holds: nobody changed the credential since it was issued.',
    check_schema: 'The content has the shape the standard prescribes.',
    check_validity: 'The credential is valid now (not too early, not expired).',
    check_status: 'The issuer has not revoked or suspended it.',
    check_trust: 'The issuer is in the register of accredited centres, for this skill.',
    check_binding: 'The credential belongs to the person showing it.',
    check_presentation: 'The answer is meant for you, made just now, and not used before.',
    check_disclosure: 'The details the worker chose to show really belong to this credential.',
    checkSkipped: 'not checked',
    ERR_MALFORMED: 'The credential is unreadable or incomplete.',
    ERR_INPUT_TOO_LARGE: 'The credential is larger than we accept.',
    ERR_ALG_NOT_ALLOWED: 'The credential is signed with a method we do not trust.',
    ERR_SIGNATURE_INVALID: 'The signature does not hold: the credential was changed or forged.',
    ERR_DID_UNRESOLVABLE: "We could not look up the issuer's keys.",
    ERR_KEY_NOT_FOUND: "The signing key is not one of the issuer's.",
    ERR_SCHEMA_INVALID: 'The content does not have the prescribed shape.',
    ERR_NOT_YET_VALID: 'The credential is not valid yet.',
    ERR_EXPIRED: 'The credential has expired.',
    ERR_REVOKED: 'The issuer has revoked this credential.',
    ERR_SUSPENDED: 'The issuer has suspended this credential.',
    ERR_STATUS_UNAVAILABLE: 'We could not find out whether the credential was revoked.',
    ERR_ISSUER_UNTRUSTED: 'The issuer is not in the register of accredited centres.',
    ERR_NOT_ACCREDITED_FOR_SKILL: 'The issuer is not accredited for this skill or level.',
    ERR_HOLDER_MISMATCH: 'The credential belongs to someone other than the person showing it.',
    ERR_AUDIENCE_MISMATCH: 'The answer was meant for another recipient.',
    ERR_CHALLENGE_MISMATCH: 'The answer does not belong to this request (reused?).',
    ERR_PRESENTATION_EXPIRED: 'The answer is too old.',
    ERR_DUPLICATE_CREDENTIAL: 'The same credential was in it twice.',
    ERR_DISCLOSURE_INVALID: 'Details shown do not belong to the credential.',
    ERR_KEY_BINDING_INVALID: 'The worker could not prove the credential is theirs.',
    ERR_QUERY_NOT_SATISFIED: 'The answer does not hold what you asked for.',
    ERR_REQUEST_UNKNOWN: 'This answer belongs to none of your requests.',
    ERR_REQUEST_EXPIRED: 'The request had expired.',
    ERR_REQUEST_ANSWERED: 'The request had already been answered.',
    ERR_REQUEST_INVALID: 'The request was invalid.',
    ERR_RESPONSE_REFUSED: 'The worker declined to answer.',
    ERR_CONTEXT_UNKNOWN: 'The credential uses a vocabulary we do not know.',
    ERR_JSONLD_INVALID: 'The credential is not a valid linked-data document.',
    ERR_PROOF_TYPE_UNKNOWN: 'The credential uses a kind of signature we do not know.',
    ERR_PROOF_PURPOSE_INVALID: 'The signature was not made for this purpose.',
    ERR_UNSUPPORTED: 'We cannot check this (yet).',
    unknownCode: 'A problem with code {code}.',
  },
});

/** A key of {@link CHECK_WORDS}. */
export type CheckWordKey = keyof (typeof CHECK_WORDS)['nl'];

/** The plain words for `code` in `words` (a translator of {@link CHECK_WORDS}); unknown codes are named. */
export function codeInWords(
  words: (key: CheckWordKey, p?: Record<string, string>) => string,
  code: string,
): string {
  return Object.hasOwn(CHECK_WORDS.nl, code) && code.startsWith('ERR_')
    ? words(code as CheckWordKey)
    : words('unknownCode', { code });
}
