// The engine's built-in central rules (SPEC §5), for what the page needs to know about them: the
// etape dates (the date slider), which areas are mandatory (the editor's tags, "decided by"), and the
// custody section (the preview override copies it with `enabled: true`, since a central section
// replaces the built-in one whole).
//
// The wasm package does not hand these out, so this is a copy. It cannot drift silently: at start-up
// the page compares the fingerprint of `{ central: BUILTIN_CENTRAL }` with the engine's own built-in
// rules and disables what depends on the copy when they differ (tests/page/load.test.mjs checks it).

export const BUILTIN_CENTRAL = {
  etaper: [
    {
      id: 'etape-1',
      name: 'ØA2020',
      mandatoryFrom: '2020-12-31',
      areas: ['32.30.04', '15.17.06', '32.24.04', '32.24.05', '32.24.06', '32.24.07', '32.24.32', '15.17.12',
        '32.24.08', '32.24.28', '32.24.30', '32.24.12', '32.27.10', '32.21.12'].map((kle) => ({ kle })),
    },
    {
      id: 'etape-2',
      name: '2021',
      mandatoryFrom: '2021-12-31',
      areas: [
        ...['27.36.04', '27.36.06', '27.36.24', '27.42.08', '27.45.04', '27.60.04', '27.60.08', '27.60.12',
          '27.60.16', '27.60.20', '27.60.24', '27.60.28'].map((kle) => ({ kle })),
        {
          kle: '15',
          targetGroups: ['Dagpengemodtagere', 'Jobparate kontanthjælpsmodtagere', 'Aktivitetsparate kontanthjælpsmodtagere',
            'Uddannelsesparate uddannelseshjælpsmodtagere', 'Aktivitetsparate uddannelseshjælpsmodtagere', 'Sygedagpenge',
            'Jobafklaringsforløb', 'Ressourceforløb', 'Fleksjobvisiterede', 'Revalidering', 'Selvforsørgede',
            'Selvforsørgelses-, hjemrejseprogram og introduktionsprogram'],
        },
      ],
    },
  ],
  minors: {
    minimumAge: 15,
    reviewedMinimumAge: 13,
    areas: [{ kle: '34', minimumAge: 18 }, { kle: '27.24', minimumAge: 18 }],
    hideHistoryBeforeAccess: true,
  },
  custody: {
    enabled: false,
    maxVerificationAge: 'P1D',
    childAgeLimit: 18,
    excludedAreas: [{ kle: '34.25' }, { kle: '27.24.27' }, { kle: '27.24.19' }],
  },
  sensitivity: { hidden: ['VIP_SAGER'] },
};

/** Whether the copy above is exactly the engine's built-in central rules (same fingerprint). */
export function builtinMatches(Engine) {
  const empty = { areas: [] };
  const a = Engine.withMunicipality(empty);
  const b = new Engine({ central: BUILTIN_CENTRAL, municipality: empty });
  try {
    return a.fingerprint === b.fingerprint;
  } finally {
    a.free();
    b.free();
  }
}
