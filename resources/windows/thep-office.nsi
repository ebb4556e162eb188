; NSIS script: THE Partnership Office for one Windows user, no administrator needed.
;
; Wraps the one-folder build (packaging\thep.spec, in dist\thep-office) into
; THE-Partnership-Office-<version>-setup.exe. From the repository's folder, with NSIS 3:
;
;   makensis /DVERSION=0.1.0 resources\windows\thep-office.nsi          (Windows)
;   makensis -DVERSION=0.1.0 resources/windows/thep-office.nsi          (Linux, as CI does)
;
; Defines: VERSION (required: thep_desktop.__version__), BUNDLE (the one-folder build,
; default dist\thep-office), OUTDIR (where the installer is written, default dist).
;
; The program goes to %LOCALAPPDATA%\Programs\THE Partnership Office. The office's data
; (the local database, its backups, settings and the log) live apart from it, in
; %LOCALAPPDATA%\THE Partnership\THE Partnership Office (platformdirs' user folders): a newer
; version installed over an older one finds the database there and upgrades it (after a copy
; of it is taken); uninstalling removes the program only and leaves the database, backups
; and log where they are.

; Paths read while compiling use "/", which makensis takes on Windows and Linux alike, and are
; relative to this script's folder (makensis works from there): give BUNDLE and OUTDIR whole.
Unicode true

!ifndef VERSION
  !error "Give the version: makensis /DVERSION=0.1.0 resources\windows\thep-office.nsi"
!endif
!ifndef BUNDLE
  !define BUNDLE "./../../dist/thep-office"
!endif
!ifndef OUTDIR
  !define OUTDIR "./../../dist"
!endif

!define APPNAME "THE Partnership Office"
!define PUBLISHER "THE Partnership"
; The folders platformdirs gives the program on Windows (thep_desktop/config.py).
!define DATAFOLDER "$LOCALAPPDATA\THE Partnership\THE Partnership Office"
!define LOGFOLDER "${DATAFOLDER}\Logs"
; One key in every version: a newer installer finds and replaces the older program in place.
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\THEPartnershipOffice"
!define ADMINPROMPT "${APPNAME} command prompt (thep-admin)"

Name "${APPNAME} ${VERSION}"
OutFile "${OUTDIR}/THE-Partnership-Office-${VERSION}-setup.exe"
; Per user: no administrator rights, installed under the user's own AppData.
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APPNAME}"
InstallDirRegKey HKCU "${UNINSTKEY}" "InstallLocation"
Icon "./../app-icon.ico"
UninstallIcon "./../app-icon.ico"
SetCompressor /SOLID lzma
ShowInstDetails show

; The version information Explorer shows for the installer (Properties > Details).
!searchparse /noerrors "${VERSION}" "" V1 "." V2 "." V3
!ifndef V1
  !define V1 0
!endif
!ifndef V2
  !define V2 0
!endif
!ifndef V3
  !define V3 0
!endif
VIProductVersion "${V1}.${V2}.${V3}.0"
VIFileVersion "${V1}.${V2}.${V3}.0"
VIAddVersionKey /LANG=2057 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=2057 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2057 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2057 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=2057 "LegalCopyright" "${PUBLISHER}"
VIAddVersionKey /LANG=2057 "FileDescription" "${APPNAME} ${VERSION} installer"

!include "MUI2.nsh"
!define MUI_ICON "./../app-icon.ico"
!define MUI_UNICON "./../app-icon.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\thep-desktop.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APPNAME} now"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "Install"
  ; An upgrade starts from a clean program folder: no module of the older version is left to
  ; load. Only the program's own files go; the data folder is elsewhere and is not touched.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\thep-desktop.exe"
  Delete "$INSTDIR\thep-admin.exe"
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE}/*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ; The log folder exists from the start, so its shortcut opens even before the first problem.
  CreateDirectory "${LOGFOLDER}"

  ; Shortcuts start in the user's Documents, where letters and exports are saved.
  SetOutPath "$DOCUMENTS"
  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortCut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\thep-desktop.exe" "" \
    "$INSTDIR\thep-desktop.exe" 0 SW_SHOWNORMAL "" "The office register, letters and more"
  CreateShortCut "$SMPROGRAMS\${APPNAME}\${APPNAME} log folder.lnk" "${LOGFOLDER}" "" "" 0 \
    SW_SHOWNORMAL "" "Where the program writes the details of any problem"
  CreateShortCut "$SMPROGRAMS\${APPNAME}\${ADMINPROMPT}.lnk" "$SYSDIR\cmd.exe" \
    '/k "set PATH=$INSTDIR;%PATH%&& thep-admin --help"' "$INSTDIR\thep-admin.exe" 0 \
    SW_SHOWNORMAL "" "thep-admin, the program's command line"
  SetOutPath "$INSTDIR"

  ; Settings > Apps lists the program for this user, with its uninstaller.
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME} ${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\thep-desktop.exe"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
SectionEnd

; The uninstaller removes the program's folder and shortcuts only: the office's database,
; backups, settings and log in the data folder above stay where they are.
Section "Uninstall"
  Delete "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk"
  Delete "$SMPROGRAMS\${APPNAME}\${APPNAME} log folder.lnk"
  Delete "$SMPROGRAMS\${APPNAME}\${ADMINPROMPT}.lnk"
  RMDir "$SMPROGRAMS\${APPNAME}"
  ; Only what the installer put there, so a folder the user chose is never emptied whole.
  SetOutPath "$TEMP"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\thep-desktop.exe"
  Delete "$INSTDIR\thep-admin.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTKEY}"
SectionEnd
