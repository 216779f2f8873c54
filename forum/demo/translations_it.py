"""The demo's Italian texts: the FAQ entries, and one guide section for when the guide has no
Italian file yet.

Each FAQ entry is keyed by its English question (the demo question's title). Terms
follow the Ministry of Health and the ethics committees: indagine clinica, promotore,
sperimentatore, comitato etico territoriale (CET), modifica sostanziale, evento
avverso grave, carenza del dispositivo. Citations and references stay as in the
English ([MDR Art. 70], MDCG 2021-6 Rev.1, D.Lgs. 137/2022 Art. 16), so they link the
same clause pages.
"""

from __future__ import annotations

FAQ_IT: dict[str, tuple[str, str]] = {
    "What clinical evidence does an AI tool that flags seizures in EEG recordings need for CE marking?": (
        "Quali evidenze cliniche servono per la marcatura CE di uno strumento di intelligenza "
        "artificiale che segnala le crisi epilettiche nei tracciati EEG?",
        """Il software è valutato clinicamente come ogni dispositivo (MDR Art. 61), ma l'MDCG 2020-1 divide le evidenze in tre parti, ed è utile pianificarle separatamente:

- **Associazione clinica valida**: l'output (un segmento segnalato) è collegato alla condizione clinica. Per il rilevamento delle crisi la letteratura la copre bene; la si documenta con una revisione strutturata della letteratura (MDCG 2020-1).
- **Prestazione tecnica**: il software produce in modo affidabile l'output corretto a partire dall'input, con accuratezza rispetto a un riferimento, ripetibilità e robustezza rispetto ad artefatti, amplificatori, montaggi e frequenze di campionamento (MDCG 2020-1).
- **Prestazione clinica**: l'uso dell'output dà risultati clinicamente rilevanti nella popolazione e nel contesto previsti (MDCG 2020-1). Il vostro 91% è un inizio, ma viene dall'ospedale che ha fornito anche i dati di addestramento.

I passi successivi che farei:

1. Bloccare la versione del modello e scrivere con precisione la destinazione d'uso: popolazione, tipo di EEG, utilizzatore, contesto.
2. Costruire un insieme di test indipendente da almeno altri due centri, con lo standard di riferimento stabilito da un gruppo di epilettologi all'oscuro dell'output del software.
3. Riportare sensibilità, falsi rilevamenti per ora e prestazioni per sottogruppo: età, tipo di crisi, EEG in terapia intensiva rispetto a quello ambulatoriale.
4. Concordare con il vostro organismo notificato se queste evidenze retrospettive bastano o se serve uno studio prospettico del flusso di lavoro clinico. Quando il software cambia il modo di lavorare dei clinici, uno studio prospettico è spesso il modo più pulito per dimostrare la prestazione clinica.

Se scegliete lo studio prospettico, ricordate che un'indagine sistematica su soggetti umani per valutare la sicurezza o le prestazioni di un dispositivo è un'indagine clinica (MDR Art. 2(45)), e si applicano allora le regole dell'MDR sulle indagini.""",
    ),
    "Which fees do we pay in Italy for a first-in-human study of a class III cardiac catheter?": (
        "Quali tariffe paghiamo in Italia per uno studio first-in-human di un catetere cardiaco "
        "di classe III?",
        """**Ministero della Salute.** Per i dispositivi di classe III e i dispositivi invasivi di classe IIa/IIb, compresi i dispositivi marcati CE di quelle classi usati al di fuori della loro destinazione d'uso, la procedura di autorizzazione prevede la tariffa DM-SC-PRE2, attualmente di EUR 3.397,78 (Ministero della Salute, DM-SC-PRE2; D.Lgs. 137/2022 Art. 16). Il vostro catetere di classe III rientra in quel gruppo. Si paga prima della presentazione e la prova del pagamento va allegata alla domanda. Verificate l'importo sulla pagina dei servizi del Ministero il giorno in cui pagate, perché le tariffe cambiano. Se il Ministero applichi altre tariffe, per esempio per le modifiche sostanziali, non risulta da nulla che io possa indicarvi: chiedetelo alla sua Direzione generale dei dispositivi medici.

**Comitato etico.** Qui contano due decreti del 30 gennaio 2023. Uno fissa la tariffa unica nazionale per le sperimentazioni di farmaci secondo il Regolamento sulle sperimentazioni cliniche, versata ad AIFA: non si applica al vostro studio sul catetere. L'altro, sulla composizione e il funzionamento dei comitati etici territoriali, lascia alle Regioni le tariffe per le altre attività, indagini sui dispositivi comprese, e ogni CET pubblica le proprie (Decreto del 30 gennaio 2023 sui CET, Art. 7). Chiedete al CET a cui presenterete lo studio il suo tariffario in vigore.

**Voci che le PMI tendono a dimenticare:**

- l'assicurazione dei soggetti, o un sistema di indennizzo equivalente (MDR Art. 69); per un dispositivo cardiaco di classe III il premio è significativo;
- i costi dei centri previsti dal contratto per la sperimentazione: compensi per paziente, conservazione dei dispositivi, imaging aggiuntivo, il corrispettivo dell'ospedale per la revisione del contratto;
- le visite di monitoraggio e la verifica dei dati alla fonte, che il promotore organizza secondo un approccio basato sul rischio (ISO 14155:2020);
- la traduzione in italiano delle informazioni per i soggetti, dei moduli di consenso e dell'etichettatura;
- una CRO o un monitor indipendente, se non avete nessuno internamente;
- la relazione finale, dovuta entro un anno dalla fine dell'indagine (MDR Art. 77), che richiede tempo di uno statistico e di un medical writer.

Per uno studio su 20 pazienti in due centri, le tariffe sono una piccola parte del totale: prevalgono i costi del personale e dei centri.""",
    ),
    "How do we justify the sample size of a pivotal study for an upper-limb rehabilitation robot?": (
        "Come giustifichiamo la numerosità campionaria di uno studio registrativo per un robot "
        "di riabilitazione dell'arto superiore?",
        """Il piano di indagine clinica deve descrivere il disegno statistico e giustificare il numero di soggetti (MDR Annex XV, capo II, sezione 3). La ISO 14155:2020 Annex A chiede lo stesso: ipotesi, numerosità campionaria con le sue assunzioni, popolazioni di analisi e gestione dei dati mancanti. L'MDCG 2024-3 mette in relazione questi requisiti e offre un modello di sinossi.

**Il calcolo.** Per la superiorità sulla variazione a 12 settimane serve la più piccola differenza che valga la pena rilevare. Prendetela dalla letteratura sulle differenze clinicamente importanti del punteggio Fugl-Meyer, non dall'effetto dello studio pilota, che di solito è ottimistico. Per esempio, con una differenza di 5 punti, una deviazione standard di 8, alfa bilaterale del 5% e potenza dell'80%:

- n per braccio = 2 x (1,96 + 0,84)^2 x 8^2 / 5^2, circa 41;
- prevedendo un 15% di abbandoni si arriva a 49 per braccio, 98 in totale.

Quindi 100 funziona solo se i 5 punti sono difendibili e la deviazione standard regge. Mostrate la sensibilità: con una deviazione standard di 9 servirebbero circa 60 soggetti per braccio dopo gli abbandoni.

**Oltre al numero, la giustificazione dovrebbe coprire:**

- perché l'endpoint riflette un beneficio che conta per i pazienti, poiché il beneficio clinico deve essere un esito misurabile e rilevante per il paziente (MDR Art. 2(53));
- la randomizzazione stratificata (centro, gravità al basale) e un valutatore dell'esito in cieco rispetto all'assegnazione;
- l'analisi: un'ANCOVA corretta per il valore basale è più efficiente del confronto tra le variazioni grezze, e può essere prespecificata come analisi primaria;
- la sicurezza: con 50 pazienti trattati e nessun evento grave correlato al dispositivo, il limite superiore al 95% del tasso di eventi è circa il 6% (regola del tre), il che dice ai valutatori che cosa lo studio può e non può escludere;
- le ipotesi di arruolamento per centro e per mese.

Mettete per iscritto ogni assunzione con la sua fonte: i valutatori controllano soprattutto che i numeri siano tracciabili.""",
    ),
    "Our PMCF study of a CE-marked ECG patch adds two blood draws: do we have to notify it?": (
        "Il nostro studio PMCF su un cerotto ECG marcato CE aggiunge due prelievi di sangue: "
        "dobbiamo notificarlo?",
        """Ha ragione il vostro secondo collega: contano i prelievi di sangue.

Un'indagine PMCF su un dispositivo marcato CE, usato nell'ambito della sua destinazione d'uso, non richiede autorizzazione; ma se sottopone i soggetti a procedure aggiuntive rispetto alle normali condizioni d'uso che sono invasive o gravose, il promotore deve notificarla agli Stati membri interessati almeno 30 giorni prima dell'inizio (MDR Art. 74(1)). Invasivo o gravoso si giudica dal punto di vista del soggetto: dolore, disagio, paura, rischio, possibili complicanze (MDCG 2021-6 Rev.1). A mio parere un prelievo venoso fatto solo per lo studio supera questa soglia, anche se è minore, e non sosterrei il contrario davanti a un valutatore.

Vi servono quindi:

- una notifica al Ministero della Salute almeno 30 giorni prima del primo paziente (MDR Art. 74(1)); il modello italiano delle comunicazioni sui dispositivi marcati CE usati nell'ambito della destinazione d'uso è fissato da uno dei decreti del 12 aprile 2023 (D.Lgs. 137/2022 Art. 16);
- il parere favorevole del comitato etico; la valutazione etica resta materia delle norme nazionali (MDCG 2021-6 Rev.1);
- la segnalazione di vigilanza per il cerotto stesso (MDR Art. 80(5)); solo un evento avverso grave con un nesso causale accertato con la procedura aggiunta, qui i prelievi, si segnala secondo l'Art. 80 come in un'indagine (MDR Art. 80(6); MDCG 2020-10/1 Rev.1).

Senza i prelievi, usando solo dati di routine, l'Art. 74(1) non si applicherebbe: lo studio sarebbe un'"altra indagine clinica" ai sensi dell'MDR Art. 82, con le regole minime UE di quell'articolo e le disposizioni nazionali (MDCG 2021-6 Rev.1 Annex I). In Italia andrebbe comunque comunicato al Ministero della Salute prima dell'inizio (D.Lgs. 137/2022 Art. 16).

Sul piano clinico, fate i prelievi nelle visite a cui il paziente viene comunque, e spiegate con parole semplici volume e scopo nel modulo di consenso. Scrivete nel piano che i risultati dell'NT-proBNP sono esplorativi e non cambieranno la gestione del paziente; se la cambieranno, il comitato etico vorrà una procedura per i valori anomali.""",
    ),
    "Which adverse events from our catheter study must be reported, to whom, and how fast?": (
        "Quali eventi avversi del nostro studio sul catetere vanno segnalati, a chi e "
        "con quale rapidità?",
        """Il lato del promotore, per completare la risposta di Paolo.

**Che cosa si segnala.** Il promotore segnala agli Stati membri interessati (MDR Art. 80(2); MDCG 2020-10/1 Rev.1):

- ogni evento avverso grave che abbia un nesso causale con il dispositivo oggetto d'indagine, con il dispositivo di confronto o con la procedura dell'indagine, o in cui tale nesso sia ragionevolmente possibile;
- ogni carenza del dispositivo che avrebbe potuto causare un evento avverso grave in assenza di misure adeguate, di un intervento o di circostanze fortunate;
- ogni nuova informazione su uno di questi eventi.

Gli altri eventi avversi si registrano e si analizzano nello studio, senza segnalarli uno per uno (MDCG 2020-10/1 Rev.1). Le segnalazioni usano il modulo riassuntivo dell'MDCG 2020-10/2 e, in Italia, vanno al Ministero della Salute finché il modulo di EUDAMED non sarà disponibile (MDR Art. 73).

**Scadenze.** L'MDR Art. 80(2) dice "senza indugio"; l'MDCG 2020-10/1 Rev.1 (sezione 8) lo traduce in giorni di calendario, contati da quando il promotore ne viene a conoscenza:

- immediatamente, e al più tardi entro 2 giorni di calendario, per un evento che indica un rischio imminente di morte, lesione grave o malattia grave e richiede un'azione correttiva tempestiva per altri soggetti, utilizzatori o persone, o per una nuova informazione su di esso;
- al più tardi entro 7 giorni di calendario per ogni altro evento o nuova informazione da segnalare;
- lo sperimentatore informa il promotore senza indugio, al più tardi entro 3 giorni di calendario da quando ne è venuto a conoscenza, salvo che il piano fissi un termine più breve.

**Aspetti pratici**

- descrivete il flusso di segnalazione nel piano e in un piano di gestione della sicurezza: chi in CardioFlow riceve le segnalazioni dei centri, chi le valuta, chi le invia;
- quando le valutazioni del nesso causale dello sperimentatore e del promotore divergono, conservatele entrambe agli atti;
- per uno studio first-in-human di classe III, fissate regole di interruzione e valutate un piccolo comitato indipendente che esamini ogni evento grave;
- gli stessi dati alimentano la relazione alla fine dell'indagine (MDR Art. 77).""",
    ),
    "What makes a private rehabilitation clinic suitable as an investigation site?": (
        "Che cosa rende una clinica di riabilitazione privata idonea come centro di indagine?",
        """Ci sono requisiti formali a livello UE e italiano, più ciò che un promotore dovrebbe comunque verificare.

**Le regole**

- Le strutture in cui si svolge un'indagine devono essere idonee e simili a quelle in cui il dispositivo è destinato a essere usato (MDR Art. 62(7)). Una clinica di riabilitazione è proprio il contesto previsto per il vostro robot, e questo gioca a suo favore.
- Lo sperimentatore deve esercitare una professione riconosciuta in Italia come idonea al ruolo, con conoscenze scientifiche ed esperienza nella cura dei pazienti, e il resto del personale deve essere adeguatamente qualificato (MDR Art. 62(6)). Le qualifiche degli sperimentatori sono materia di diritto nazionale (MDCG 2021-6 Rev.1).
- L'Italia ha fissato i requisiti dei centri previsti dall'Art. 62(7) con un decreto del 20 marzo 2023, pubblicato nella Gazzetta Ufficiale n. 137 del 14 giugno 2023 (D.Lgs. 137/2022 Art. 16). Esaminate quel decreto punto per punto con la clinica e documentate ciascun punto; non affidatevi a una sintesi.

**Che cosa verifica il promotore** (ISO 14155:2020, responsabilità del promotore)

- uno sperimentatore principale che possa dedicare tempo, con una formazione GCP che copra la ISO 14155, perché la sola formazione sulle sperimentazioni dei farmaci trascura gli aspetti specifici dei dispositivi;
- abbastanza pazienti eleggibili, come mostrano i ricoveri dell'ultimo anno;
- spazio per installare e custodire il robot, e terapisti formati a usarlo;
- un modo per tenere il fascicolo dello sperimentatore e inserire i dati;
- una procedura per segnalarvi tempestivamente gli eventi avversi gravi;
- la capacità di contrattare: chi firma per la clinica, e quanto tempo ci vuole.

**Chi verifica.** Voi, con una visita di qualificazione del centro documentata. Il comitato etico e il Ministero della Salute vedono l'elenco dei centri e i CV degli sperimentatori nella domanda.

Le cliniche private possono essere ottimi centri, spesso più rapidi degli ospedali pubblici. Offrite una breve giornata di formazione e un coordinatore di studio condiviso per i primi pazienti.""",
    ),
    "Must we have the ethics committee's opinion before we apply to the Ministry of Health?": (
        "Dobbiamo avere il parere del comitato etico prima di presentare la domanda al "
        "Ministero della Salute?",
        """**In breve: il parere etico fa parte del fascicolo per il Ministero, ma i due possono essere preparati in parallelo, e per presentare la domanda basta un parere favorevole condizionato.**

1. *Il parere fa parte della domanda.* Secondo il D.Lgs. 137/2022 Art. 16 il parere favorevole del comitato etico fa parte della domanda al Ministero della Salute. Per un dispositivo non invasivo di classe IIa come il vostro robot, l'indagine può iniziare 30 giorni dopo la convalida, salvo rigetto da parte del Ministero, se c'è quel parere favorevole.
2. *Si può allegare un parere condizionato.* Per le indagini su dispositivi non marcati CE, disciplinate da un decreto del 12 aprile 2023 (Gazzetta Ufficiale del 13 giugno 2023), alla domanda si può allegare un parere favorevole condizionato. Elencate ogni condizione con il modo e i tempi in cui la soddisferete.
3. *Non presentate la domanda senza parere.* Un fascicolo incompleto vi costa il ciclo di convalida dell'MDR Art. 70: 10 giorni al Ministero per la convalida, poi 10 giorni (prorogabili di 20) a voi per completare il fascicolo.
4. *Un parere copre i centri indicati nella domanda.* Il parere di un comitato etico territoriale (CET) o nazionale (CEN) vale per tutto il Paese e per i centri indicati nella domanda; un centro aggiunto in seguito è una modifica sostanziale (MDR Art. 75). In Lombardia i CET sono quelli denominati da Lombardia 1 a Lombardia 6.

**Che cosa fare:** preparate il fascicolo per il Ministero mentre il comitato valuta, e presentatelo il giorno in cui arriva il parere. Il tempo che potete guadagnare sta nella preparazione, non nell'ordine dei passaggi. Se un consulente vi dice che il parere può arrivare dopo, chiedete al Ministero di confermarvelo per iscritto per il vostro caso prima di pianificare su quella base.""",
    ),
}

# When the guide has no Italian file, one section is translated here, so that the demo
# shows a translation (outdated once the demo edits the English) beside missing ones.
GUIDE_SECTION_TITLE = "How the Centre can help"
GUIDE_SECTION_IT = (
    "Come può aiutare il Centro",
    "Il comitato di esperti del Centro, provenienti dalla ricerca, dalle università, dalla "
    "pratica clinica e dalle PMI, aiuta le PMI a individuare le popolazioni cliniche in cui un "
    "dispositivo dovrebbe essere sperimentato e le mette in contatto con cliniche disposte ad "
    "aiutare a condurre lo studio. Le domande possono essere pubblicate sul forum pubblico del "
    "Centro, dove gli esperti rispondono singolarmente o come comitato.",
)
# The demo's edit of that section's English after the first release: its Italian is then
# outdated, as a reader and an admin would meet it.
GUIDE_SECTION_ADDED_EN = (
    "\n\nA question asked as confidential is seen only by its author, the experts and the "
    "Centre's admins."
)
